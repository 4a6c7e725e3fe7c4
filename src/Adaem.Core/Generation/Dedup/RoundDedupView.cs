namespace Adaem.Core.Generation;

/// <summary>
/// What one step of a round sees for its dedup checks: the run's index as it was when the round began
/// (read, never written, while the round plays) and the step's own accepted candidates (written here only).
/// A check ranks the nearest questions of both together, so a candidate is judged against exactly the
/// questions a sequential step would have seen, minus those of the other steps of its round, which are
/// compared when the round's results are merged in order (<see cref="GenerationLoop"/>). Nothing the other
/// steps do reaches this view, so the check does not depend on which step finished first.
/// </summary>
internal sealed class RoundDedupView(IDedupIndex shared, IDedupIndex own) : IDedupIndex
{
    public int TopK => shared.TopK;

    public int Count => shared.Count + own.Count;

    /// <summary>Adds to the step's own questions; the shared index receives them when the round is merged.</summary>
    public ValueTask AddAsync(IReadOnlyList<(string Id, string Text)> items, CancellationToken cancellationToken) =>
        own.AddAsync(items, cancellationToken);

    public async ValueTask<DedupResult> CheckAsync(string text, CancellationToken cancellationToken)
    {
        var a = await shared.CheckAsync(text, cancellationToken).ConfigureAwait(false);
        if (own.Count == 0)
            return a;
        var b = await own.CheckAsync(text, cancellationToken).ConfigureAwait(false);
        // Both lists are sorted by similarity; questions sharing nothing with the text count as 0 in the mean of k, as in one index.
        var k = Math.Min(TopK, Count);
        var merged = a
            .Nearest.Select((id, i) => (Id: id, Similarity: a.Similarities[i]))
            .Concat(b.Nearest.Select((id, i) => (Id: id, Similarity: b.Similarities[i])))
            .OrderByDescending(x => x.Similarity)
            .Take(k)
            .ToList();
        var mean = k == 0 ? 0 : merged.Sum(x => x.Similarity) / k;
        return new DedupResult(mean, merged.Select(x => x.Id).ToList(), a.ExactDuplicateOf ?? b.ExactDuplicateOf)
        {
            Similarities = merged.Select(x => x.Similarity).ToList(),
        };
    }
}
