using Adaem.Core.Errors;

namespace Adaem.Core.Runs;

/// <summary>
/// Keeps one run to one set of instruments. Before a stage makes any call it compares the instruments
/// the config resolves to now with those the run has used: a new role or model is simply recorded (e.g. a
/// target added to a finished evaluation), but the same role and name resolving to another identity (a
/// target's model id, the judge, the theory, an explorer's endpoint) would mix two instruments in one
/// run, so the stage stops with exit 2 before any call, unless the user accepts the change. Accepting
/// records the new identity; stored answers of the old one are kept but never served to the new one,
/// because every stored answer is keyed by the fingerprint of what was asked.
/// </summary>
public static class InstrumentCheck
{
    /// <summary>Changes between the run's current instruments and <paramref name="now"/>, in role and name order.</summary>
    public static IReadOnlyList<InstrumentChange> Compare(IReadOnlyList<InstrumentRecord> stored, IReadOnlyList<Instrument> now)
    {
        var current = stored.Where(s => s.Current).ToDictionary(s => (s.Role, s.Name));
        return now.Where(n => current.TryGetValue((n.Role, n.Name), out var s) && s.Identity != n.Identity)
            .Select(n => new InstrumentChange(n.Role, n.Name, current[(n.Role, n.Name)].Identity, n.Identity))
            .OrderBy(c => c.Role, StringComparer.Ordinal)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// Checks <paramref name="now"/> against the run's record and records it. Throws <see cref="InputException"/>
    /// naming every change when there are changes and <paramref name="acceptChanges"/> is false.
    /// Returns the accepted changes (empty when nothing changed).
    /// </summary>
    public static IReadOnlyList<InstrumentChange> Enforce(
        IRunInstruments store,
        string run,
        IReadOnlyList<Instrument> now,
        bool acceptChanges,
        string configPath
    )
    {
        var changes = Compare(store.LoadInstruments(run), now);
        if (changes.Count > 0 && !acceptChanges)
        {
            var problems = changes
                .Select(c => new InputProblem(
                    configPath,
                    null,
                    $"run '{run}' used {c.Role} '{c.Name}' as {c.Before}; the config now makes it {c.After}. Continuing would mix two instruments in one run.",
                    null
                ))
                .ToList();
            problems.Add(
                new InputProblem(
                    configPath,
                    null,
                    "nothing was asked",
                    $"start a new run with --run NEW_NAME (keeps both), or pass --accept-changes to re-ask in run '{run}' what the change affects (earlier answers are kept apart, never mixed into the new scores)"
                )
            );
            throw new InputException(problems);
        }
        store.SaveInstruments(run, now);
        return changes;
    }
}
