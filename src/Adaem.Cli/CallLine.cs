using System.Globalization;
using Adaem.Core.Models;

namespace Adaem.Cli;

/// <summary>
/// The one line a stage prints about its own model calls: how many reached a provider in this command and
/// how many the cache answered (a stored answer, or an identical call already in flight). The ledger
/// cannot tell a repeated call from a single one (it keeps one answer per key), so this count is what
/// shows whether a rerun asked anything again.
/// </summary>
internal static class CallLine
{
    public static string Format(string stage, CallCount calls) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"model calls in {stage}: {calls.Calls:N0} made, {calls.CacheHits:N0} from the cache, {calls.Failures:N0} failed"
        );
}
