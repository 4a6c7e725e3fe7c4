using Dapper;

namespace Adaem.Storage;

public sealed partial class AdaemStore
{
    private const string LeaseColumns = "run, pid, host, command, token, started_at AS StartedAt, heartbeat_at AS HeartbeatAt";

    /// <summary>
    /// Takes the lease of <paramref name="run"/> for this process (or <paramref name="token"/>): one writer per
    /// run. A lease this token already holds is re-entered; a fresh lease of another process throws
    /// <see cref="RunLeaseHeldException"/>; an abandoned one (its holder stopped beating, or its process is gone
    /// from this host: <see cref="LeaseHolder.Abandoned"/>) is taken over, its claims
    /// on calls in flight are dropped, and a run it left 'running' is marked interrupted.
    /// </summary>
    public RunLease AcquireLease(string run, string command, LeaseTiming? timing = null, string? token = null)
    {
        timing ??= LeaseTiming.Default;
        token ??= ProcessIdentity.Token;
        var now = DateTimeOffset.UtcNow;
        var nowText = StoreTime.Text(now);
        using var c = Connect();
        // IMMEDIATE: two processes that both find the lease free cannot both take it.
        using var tx = c.BeginTransaction(deferred: false);
        var held = c.QuerySingleOrDefault<LeaseHolder>($"SELECT {LeaseColumns} FROM run_leases WHERE run = @run", new { run }, tx);
        if (held is not null && held.Token == token)
            return new RunLease(this, run, token, owned: false, null, timing);
        var abandoned = held?.Abandoned(now, timing);
        if (held is not null && abandoned is null)
            throw new RunLeaseHeldException(Path, held, timing, now);
        if (held is not null)
        {
            c.Execute("DELETE FROM calls_in_flight WHERE token = @Token", new { held.Token }, tx);
            c.Execute(
                "UPDATE runs SET status = 'interrupted', detail = @detail, updated_at = @nowText WHERE name = @run AND status = 'running'",
                new
                {
                    run,
                    nowText,
                    detail = $"{held.Describe(now)}: {abandoned}; taken over by pid {ProcessIdentity.Pid} on {ProcessIdentity.Host}",
                },
                tx
            );
        }
        c.Execute(
            """
            INSERT INTO run_leases(run, pid, host, command, token, started_at, heartbeat_at) VALUES (@run, @pid, @host, @command, @token, @nowText, @nowText)
            ON CONFLICT(run) DO UPDATE SET pid = excluded.pid, host = excluded.host, command = excluded.command, token = excluded.token,
                started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at
            """,
            new
            {
                run,
                pid = ProcessIdentity.Pid,
                host = ProcessIdentity.Host,
                command,
                token,
                nowText,
            },
            tx
        );
        tx.Commit();
        return new RunLease(this, run, token, owned: true, held, timing);
    }

    /// <summary>Beats the lease; false when the row is gone or no longer this token's (another process took it over).</summary>
    public bool HeartbeatLease(string run, string token)
    {
        using var c = Connect();
        return c.Execute(
                "UPDATE run_leases SET heartbeat_at = @now WHERE run = @run AND token = @token",
                new
                {
                    run,
                    token,
                    now = Now(),
                }
            ) == 1;
    }

    /// <summary>Gives the lease up, if it is still this token's.</summary>
    public void ReleaseLease(string run, string token)
    {
        using var c = Connect();
        c.Execute("DELETE FROM run_leases WHERE run = @run AND token = @token", new { run, token });
    }

    public LeaseHolder? GetLease(string run)
    {
        using var c = Connect();
        return c.QuerySingleOrDefault<LeaseHolder>($"SELECT {LeaseColumns} FROM run_leases WHERE run = @run", new { run });
    }

    public IReadOnlyList<LeaseHolder> ListLeases()
    {
        using var c = Connect();
        return c.Query<LeaseHolder>($"SELECT {LeaseColumns} FROM run_leases ORDER BY run").AsList();
    }
}
