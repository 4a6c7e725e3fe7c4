using Adaem.Core.Runs;
using Dapper;

namespace Adaem.Storage;

/// <summary>The instruments each run has used (models per role and the theory), with their resolved identities.</summary>
public sealed partial class AdaemStore : IRunInstruments
{
    public IReadOnlyList<InstrumentRecord> LoadInstruments(string run)
    {
        using var c = Connect();
        return c.Query<(string Role, string Name, string Identity, string Since, string? SupersededAt)>(
                "SELECT role, name, identity, since, superseded_at FROM run_instruments WHERE run = @run ORDER BY role, name, since",
                new { run }
            )
            .Select(r => new InstrumentRecord(r.Role, r.Name, r.Identity, r.Since, r.SupersededAt))
            .ToList();
    }

    public void SaveInstruments(string run, IReadOnlyList<Instrument> current)
    {
        using var c = Connect();
        using var tx = c.BeginTransaction(deferred: false);
        var now = Now();
        foreach (var i in current)
        {
            c.Execute(
                """
                UPDATE run_instruments SET superseded_at = @now
                WHERE run = @run AND role = @Role AND name = @Name AND identity <> @Identity AND superseded_at IS NULL
                """,
                new
                {
                    run,
                    i.Role,
                    i.Name,
                    i.Identity,
                    now,
                },
                tx
            );
            c.Execute(
                """
                INSERT INTO run_instruments(run, role, name, identity, since) VALUES (@run, @Role, @Name, @Identity, @now)
                ON CONFLICT(run, role, name, identity) DO UPDATE SET superseded_at = NULL
                """,
                new
                {
                    run,
                    i.Role,
                    i.Name,
                    i.Identity,
                    now,
                },
                tx
            );
        }
        tx.Commit();
    }
}
