using System.Globalization;
using Adaem.Core.Evaluation;

namespace Adaem.Pipeline;

/// <summary>Answers of one model that ended as failures: replies that could not be read, and readable ones the judge could not
/// label.</summary>
internal sealed record ModelFailures(string Model, int Unreadable, int NotJudged)
{
    public int Total => Unreadable + NotJudged;

    /// <summary>"alpha 3 unreadable, 2 not judged" (zero counts left out).</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        if (Unreadable > 0)
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{Unreadable:N0} unreadable"));
        if (NotJudged > 0)
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{NotJudged:N0} not judged"));
        return $"{Model} {string.Join(", ", parts)}";
    }
}

/// <summary>
/// Counts the failed answers a stage went through, per model, for its summary line. Answers read back from
/// the store count like new ones: they are part of what the stage produced. Thread-safe.
/// </summary>
internal sealed class FailureTally
{
    /// <summary>The subject under which a judge's failures on question texts (generation's disentanglement) are counted.</summary>
    public const string QuestionTexts = "question texts";

    private readonly Dictionary<string, (int Unreadable, int NotJudged)> _byModel = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Counts the failures among <paramref name="responses"/>.</summary>
    public void Add(IEnumerable<JudgedResponse> responses)
    {
        foreach (var r in responses)
        {
            if (!r.Failed)
                continue;
            if (IsUnreadable(r))
                Add(r.Model, 1, 0);
            else
                Add(r.Model, 0, 1);
        }
    }

    public void Add(string model, int unreadable, int notJudged)
    {
        lock (_gate)
        {
            var (u, n) = _byModel.GetValueOrDefault(model);
            _byModel[model] = (u + unreadable, n + notJudged);
        }
    }

    public IReadOnlyList<ModelFailures> Read()
    {
        lock (_gate)
        {
            return _byModel
                .Where(kv => kv.Value.Unreadable + kv.Value.NotJudged > 0)
                .OrderBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => new ModelFailures(kv.Key, kv.Value.Unreadable, kv.Value.NotJudged))
                .ToList();
        }
    }

    /// <summary>"failures: alpha 3 unreadable, 2 not judged; beta 1 unreadable", or null when nothing failed.</summary>
    public string? Text()
    {
        var failures = Read();
        return failures.Count == 0 ? null : "failures: " + string.Join("; ", failures);
    }

    /// <summary>A reply that could not be read (stored as a parse failure), as opposed to one the judge could not label.</summary>
    public static bool IsUnreadable(JudgedResponse response) =>
        response.Response is null || (response.Failure?.StartsWith("parse", StringComparison.Ordinal) ?? false);

    /// <summary>Per model, the failures among <paramref name="responses"/>.</summary>
    public static IReadOnlyList<ModelFailures> Of(IEnumerable<JudgedResponse> responses)
    {
        var tally = new FailureTally();
        tally.Add(responses);
        return tally.Read();
    }
}
