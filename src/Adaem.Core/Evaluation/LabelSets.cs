namespace Adaem.Core.Evaluation;

/// <summary>
/// One shared read-only set per distinct combination of value codes. A study of the paper's size holds about
/// 600,000 key points' labels, and a judge names few combinations of a theory's values, so sharing them keeps
/// hundreds of thousands of small identical sets out of memory. Thread-safe; each reader owns its pool.
/// </summary>
public sealed class LabelSets
{
    private readonly Dictionary<string, IReadOnlySet<string>> _sets = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>The shared set of <paramref name="codes"/> (order and repeats do not matter).</summary>
    public IReadOnlySet<string> Of(IEnumerable<string> codes)
    {
        var set = new HashSet<string>(codes, StringComparer.Ordinal);
        var key = string.Join('\u001f', set.Order(StringComparer.Ordinal));
        lock (_lock)
        {
            if (_sets.TryGetValue(key, out var shared))
                return shared;
            _sets[key] = set;
            return set;
        }
    }
}
