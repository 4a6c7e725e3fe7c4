using System.Globalization;
using Adaem.Core.Prompts;
using Microsoft.Extensions.AI;

namespace Adaem.Core.Generation;

/// <summary>What a seed expansion did.</summary>
/// <param name="Added">The new seeds, in category order (stored ones included).</param>
/// <param name="Requested">generation.expand_seeds.</param>
/// <param name="Asks">Prompts sent to the expander in this call (0 when every category was already stored).</param>
/// <param name="Duplicates">Proposals dropped by the dedup check.</param>
/// <param name="Failed">Asks whose reply had no usable proposal after the re-asks.</param>
public sealed record SeedExpansionResult(IReadOnlyList<Seed> Added, int Requested, int Asks, int Duplicates, int Failed);

/// <summary>
/// Seed expansion before the loop (the paper's Listing 1): per topic category, the expander is shown
/// three of the category's seed arguments and the issues already covered, and proposes new general
/// arguments with their yes/no questions. Each category gets a share of the new seeds in proportion to
/// its share of the seed set. A proposal whose question is the same text as, or more similar than ε to,
/// its nearest existing seed (the seed set and every accepted proposal, all categories) is dropped.
/// <para>
/// Accepted seeds are stored (source "expanded:MODEL") after every ask. A category whose share is already
/// stored is reused without a call; an unfinished category is asked again from its first prompt, which the
/// call engine's cache answers, so a resumed expansion ends exactly as an uninterrupted one.
/// </para>
/// </summary>
public sealed class SeedExpansion(
    IChatClient expander,
    string expanderName,
    IGenerationRecords records,
    string run,
    string stage,
    Func<int, IDedupIndex> newDedupIndex,
    double dedupThreshold
)
{
    public const string SourcePrefix = "expanded:";

    /// <summary>Few-shot examples per prompt (the paper's 3-shot prompt).</summary>
    public const int Examples = 3;

    /// <summary>Proposals asked for in one prompt: long numbered lists drift in quality and may be cut off.</summary>
    public const int MaxPerAsk = 20;

    /// <summary>Asks beyond the minimum a category's share needs, for replies with duplicates or no usable line.</summary>
    public const int ExtraAsks = 3;

    public async Task<SeedExpansionResult> ExpandAsync(IReadOnlyList<Seed> seeds, int count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0 || seeds.Count == 0)
            return new SeedExpansionResult([], count, 0, 0, 0);

        var categories = seeds
            .GroupBy(s => s.Category ?? "", StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.OrderBy(s => s.Id, StringComparer.Ordinal).ToList())
            .ToList();
        var quotas = Quotas(categories.Select(c => c.Count).ToList(), count);
        var stored = records
            .LoadExpandedSeeds(run)
            .GroupBy(s => s.Category ?? "", StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(s => s.Id, StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        var ids = seeds.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);

        // Nearest neighbour (k = 1): a new topic that nearly repeats any one existing topic is a duplicate arm.
        var index = newDedupIndex(1);
        await index.AddAsync(seeds.Select(s => (s.Id, s.Question)).ToList(), cancellationToken).ConfigureAwait(false);

        var added = new List<Seed>();
        int asks = 0,
            duplicates = 0,
            failed = 0;
        for (var c = 0; c < categories.Count; c++)
        {
            var quota = quotas[c];
            if (quota == 0)
                continue;
            var name = categories[c][0].Category ?? "";
            if (stored.TryGetValue(name, out var have) && have.Count >= quota)
            {
                var reused = have.Take(quota).ToList();
                await index.AddAsync(reused.Select(s => (s.Id, s.Question)).ToList(), cancellationToken).ConfigureAwait(false);
                added.AddRange(reused);
                continue;
            }
            var outcome = await ExpandCategoryAsync(c, categories[c], quota, index, ids, cancellationToken).ConfigureAwait(false);
            added.AddRange(outcome.Accepted);
            asks += outcome.Asks;
            duplicates += outcome.Duplicates;
            failed += outcome.Failed;
        }
        return new SeedExpansionResult(added, count, asks, duplicates, failed);
    }

    private async Task<(List<Seed> Accepted, int Asks, int Duplicates, int Failed)> ExpandCategoryAsync(
        int categoryIndex,
        IReadOnlyList<Seed> category,
        int quota,
        IDedupIndex index,
        HashSet<string> ids,
        CancellationToken cancellationToken
    )
    {
        var name = category[0].Category ?? "";
        var accepted = new List<Seed>();
        int asks = 0,
            duplicates = 0,
            failed = 0,
            next = 1;
        var maxAsks = (quota + MaxPerAsk - 1) / MaxPerAsk + ExtraAsks;
        var covered = category.Select(s => s.Argument ?? s.Question).ToList();
        for (var attempt = 0; attempt < maxAsks && accepted.Count < quota; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Rotate the examples so later asks see other parts of the category.
            var examples = Enumerable
                .Range(0, Math.Min(Examples, category.Count))
                .Select(j => category[(attempt * Examples + j) % category.Count])
                .Select(s => s.Argument ?? s.Question)
                .ToList();
            var newest = accepted.Select(s => s.Argument ?? s.Question).ToList();
            // The newest proposals and the last of the category's own seeds, within the prompt's limit.
            var used = covered.Concat(newest).TakeLast(SeedExpandPrompt.MaxUsedShown).ToList();
            var prompt = SeedExpandPrompt.Create(name, examples, Math.Min(quota - accepted.Count, MaxPerAsk), used);
            asks++;
            var reply = await StructuredReply
                .AskAsync(expander, prompt, new CallSite(run, stage, StructuredReply.Sample(0, attempt)), cancellationToken)
                .ConfigureAwait(false);
            if (!reply.Ok)
            {
                failed++;
                continue;
            }

            var fresh = new List<Seed>();
            foreach (var p in reply.Value!)
            {
                if (accepted.Count + fresh.Count >= quota)
                    break;
                var dup = await index.CheckAsync(p.Question, cancellationToken).ConfigureAwait(false);
                if (dup.IsDuplicate(dedupThreshold))
                {
                    duplicates++;
                    continue;
                }
                string id;
                do id = string.Create(CultureInfo.InvariantCulture, $"exp{categoryIndex + 1:D2}-{next++:D3}");
                while (!ids.Add(id));
                var seed = new Seed(id, p.Question)
                {
                    Argument = p.Argument,
                    Category = category[0].Category,
                    Source = SourcePrefix + expanderName,
                };
                await index.AddAsync([(id, p.Question)], cancellationToken).ConfigureAwait(false);
                fresh.Add(seed);
            }
            if (fresh.Count > 0)
                records.SaveExpandedSeeds(run, fresh);
            accepted.AddRange(fresh);
        }
        return (accepted, asks, duplicates, failed);
    }

    /// <summary>
    /// Splits <paramref name="count"/> over categories in proportion to their sizes (largest remainder;
    /// ties to the larger category, then to the earlier one), so the totals add up exactly.
    /// </summary>
    public static IReadOnlyList<int> Quotas(IReadOnlyList<int> sizes, int count)
    {
        var total = sizes.Sum();
        var quotas = new int[sizes.Count];
        if (total == 0)
            return quotas;
        var rest = count;
        for (var i = 0; i < sizes.Count; i++)
        {
            quotas[i] = (int)((long)count * sizes[i] / total);
            rest -= quotas[i];
        }
        var order = Enumerable
            .Range(0, sizes.Count)
            .OrderByDescending(i => (long)count * sizes[i] % total)
            .ThenByDescending(i => sizes[i])
            .ThenBy(i => i)
            .ToList();
        for (var j = 0; rest > 0; j = (j + 1) % order.Count, rest--)
            quotas[order[j]]++;
        return quotas;
    }
}
