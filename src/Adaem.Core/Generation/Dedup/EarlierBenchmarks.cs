using Adaem.Core.Configuration;
using Adaem.Core.Errors;
using Adaem.Core.Evaluation;

namespace Adaem.Core.Generation;

/// <summary>
/// Earlier benchmarks a regenerated one must not repeat (generation.exclude; the paper's periodic
/// regeneration, App. C.7): their questions join the dedup index before the loop, so a candidate that
/// duplicates one (exactly, or above the dedup threshold with an excluded question as its nearest) is
/// dropped as "in an earlier benchmark". Each entry is a question file (our questions.jsonl or any
/// JSONL/CSV/TSV with a `question` field), a folder holding questions.jsonl (a frozen release), or
/// "run:NAME" for the scored questions of another run in the same store.
/// </summary>
public static class EarlierBenchmarks
{
    /// <summary>Prefix of the dedup-index ids of excluded questions.</summary>
    public const string IdPrefix = "earlier:";

    public const string RunPrefix = "run:";

    public static bool IsExcluded(string id) => id.StartsWith(IdPrefix, StringComparison.Ordinal);

    /// <summary>
    /// A check for the selection: is a text a duplicate (exact, or above the n-gram threshold) of an excluded question?
    /// Null when nothing is excluded. Seed questions are candidates too, and two releases share their seeds.
    /// </summary>
    public static async Task<Func<string, CancellationToken, ValueTask<bool>>?> SelectionCheckAsync(
        IReadOnlyList<(string Id, string Text)> excluded,
        CancellationToken cancellationToken
    )
    {
        if (excluded.Count == 0)
            return null;
        IDedupIndex index = new DedupIndex();
        await index.AddAsync(excluded, cancellationToken).ConfigureAwait(false);
        return async (text, ct) => (await index.CheckAsync(text, ct).ConfigureAwait(false)).IsDuplicate(DedupThresholds.Ngram);
    }

    /// <summary>Every excluded question, with an id naming its source; exit-2 errors name the config line of generation.exclude.</summary>
    public static IReadOnlyList<(string Id, string Text)> Load(AdaemConfig config, IGenerationRecords store)
    {
        var result = new List<(string Id, string Text)>();
        var line = config.Generation.ExcludeLine;
        foreach (var entry in config.Generation.Exclude)
        {
            if (entry.StartsWith(RunPrefix, StringComparison.Ordinal))
            {
                var run = entry[RunPrefix.Length..];
                var rows = QuestionSelection.Rank(store.LoadQuestions(run));
                if (rows.Count == 0)
                    throw new InputException(
                        config.Path,
                        line,
                        $"generation.exclude names {entry}, but run '{run}' has no scored questions in {config.StorePath}",
                        "name a run of this store that has generated questions, or a questions.jsonl file"
                    );
                result.AddRange(rows.Select(r => ($"{IdPrefix}{entry}:{r.Id}", r.Question)));
                continue;
            }
            var path = Path.GetFullPath(Path.Combine(config.Directory, entry));
            if (Directory.Exists(path))
                path = Path.Combine(path, "questions.jsonl");
            if (!File.Exists(path))
                throw new InputException(
                    config.Path,
                    line,
                    $"generation.exclude names '{entry}', which is no file, no folder with a questions.jsonl, and not run:NAME",
                    "name an earlier benchmark's questions.jsonl (or its folder), or run:NAME for a run in this store"
                );
            result.AddRange(QuestionSource.Read(path).Select(q => ($"{IdPrefix}{entry}:{q.Id}", q.Text)));
        }
        return result;
    }
}
