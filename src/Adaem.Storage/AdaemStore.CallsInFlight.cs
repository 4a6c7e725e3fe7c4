using Dapper;

namespace Adaem.Storage;

/// <summary>What a claim on a call found: the call is now this process's to make, already answered, or being made by another
/// process.</summary>
public enum ClaimState
{
    Claimed,
    Cached,
    Held,
}

/// <summary>The outcome of claiming one call key; <see cref="Holder"/> names the other process's token when held.</summary>
public sealed record CallClaim(string Key, ClaimState State, string? Holder = null, string? HeartbeatAt = null);

/// <summary>One row of calls_in_flight.</summary>
public sealed record CallInFlight
{
    public string Key { get; init; } = "";
    public string Token { get; init; } = "";
    public string StartedAt { get; init; } = "";
    public string HeartbeatAt { get; init; } = "";
}

/// <summary>What a process waiting on another's call sees: the answer once it is cached, else the current claim (if any).</summary>
public sealed record CallPeek(ModelCallRecord? Cached, CallInFlight? Claim);

/// <summary>
/// Everything the ledger writer commits at once, in this order: finished attempts, released claims, new
/// claims, and a heartbeat of this token's claims. A success and the release of its claim commit together,
/// so a process waiting on the claim sees the answer cached before (never after) the claim is gone.
/// </summary>
public sealed record LedgerBatch
{
    public IReadOnlyList<ModelCallRecord> Records { get; init; } = [];
    public IReadOnlyList<string> Releases { get; init; } = [];
    public IReadOnlyList<string> Claims { get; init; } = [];
    public bool Heartbeat { get; init; }
    public string Token { get; init; } = ProcessIdentity.Token;
    public LeaseTiming Timing { get; init; } = LeaseTiming.Default;
}

public sealed partial class AdaemStore
{
    /// <summary>Commits a <see cref="LedgerBatch"/> in one transaction and returns the outcome of each claim.</summary>
    public IReadOnlyList<CallClaim> ApplyLedgerBatch(LedgerBatch batch)
    {
        lock (WriteGate)
        {
            var now = DateTimeOffset.UtcNow;
            var nowText = StoreTime.Text(now);
            var staleBefore = StoreTime.Text(now - batch.Timing.StaleAfter);
            using var c = Connect();
            using var tx = c.BeginTransaction(deferred: false);
            InsertCalls(c, tx, batch.Records, nowText);
            if (batch.Releases.Count > 0)
                c.Execute(
                    "DELETE FROM calls_in_flight WHERE key = @key AND token = @token",
                    batch.Releases.Select(key => new { key, token = batch.Token }),
                    tx
                );
            var claims = new List<CallClaim>(batch.Claims.Count);
            // Two statements per claim, prepared once per batch (a batch holds hundreds of claims when many calls start at once).
            using var cached = Prepare(c, tx, "SELECT EXISTS(SELECT 1 FROM model_calls WHERE key = $key AND error IS NULL)", "$key");
            // A claim is free when nobody holds it, when it is this token's already, or when its holder stopped beating.
            using var take = Prepare(
                c,
                tx,
                """
                INSERT INTO calls_in_flight(key, token, started_at, heartbeat_at) VALUES ($key, $token, $now, $now)
                ON CONFLICT(key) DO UPDATE SET token = excluded.token, started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at
                WHERE calls_in_flight.token = excluded.token OR calls_in_flight.heartbeat_at < $staleBefore
                """,
                "$key",
                "$token",
                "$now",
                "$staleBefore"
            );
            take.Parameters["$token"].Value = batch.Token;
            take.Parameters["$now"].Value = nowText;
            take.Parameters["$staleBefore"].Value = staleBefore;
            foreach (var key in batch.Claims)
            {
                cached.Parameters[0].Value = key;
                if ((long)cached.ExecuteScalar()! == 1)
                {
                    claims.Add(new CallClaim(key, ClaimState.Cached));
                    continue;
                }
                take.Parameters["$key"].Value = key;
                if (take.ExecuteNonQuery() == 1)
                {
                    claims.Add(new CallClaim(key, ClaimState.Claimed));
                    continue;
                }
                var holder = c.QuerySingle<CallInFlight>(
                    "SELECT key, token, started_at AS StartedAt, heartbeat_at AS HeartbeatAt FROM calls_in_flight WHERE key = @key",
                    new { key },
                    tx
                );
                claims.Add(new CallClaim(key, ClaimState.Held, holder.Token, holder.HeartbeatAt));
            }
            if (batch.Heartbeat)
                c.Execute(
                    "UPDATE calls_in_flight SET heartbeat_at = @nowText WHERE token = @token",
                    new { nowText, token = batch.Token },
                    tx
                );
            tx.Commit();
            return claims;
        }
    }

    /// <summary>A command run many times in one transaction: SQLite compiles it once, and each run only binds new values.</summary>
    private static Microsoft.Data.Sqlite.SqliteCommand Prepare(
        Microsoft.Data.Sqlite.SqliteConnection c,
        Microsoft.Data.Sqlite.SqliteTransaction tx,
        string sql,
        params string[] parameters
    )
    {
        var command = c.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var name in parameters)
            command.Parameters.Add(new Microsoft.Data.Sqlite.SqliteParameter { ParameterName = name });
        command.Prepare();
        return command;
    }

    /// <summary>The cached answer of <paramref name="key"/>, or else who is making the call now.</summary>
    public CallPeek PeekCall(string key)
    {
        var cached = TryGetCachedCall(key);
        if (cached is not null)
            return new CallPeek(cached, null);
        using var c = Connect();
        return new CallPeek(
            null,
            c.QuerySingleOrDefault<CallInFlight>(
                "SELECT key, token, started_at AS StartedAt, heartbeat_at AS HeartbeatAt FROM calls_in_flight WHERE key = @key",
                new { key }
            )
        );
    }

    public IReadOnlyList<CallInFlight> ListCallsInFlight()
    {
        using var c = Connect();
        return c.Query<CallInFlight>(
                "SELECT key, token, started_at AS StartedAt, heartbeat_at AS HeartbeatAt FROM calls_in_flight ORDER BY started_at"
            )
            .AsList();
    }
}
