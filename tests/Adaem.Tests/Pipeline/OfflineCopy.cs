using System.Globalization;
using Adaem.Core.Configuration;
using Adaem.Core.Data;
using Adaem.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Adaem.Tests.Pipeline;

/// <summary>One successful call in the ledger (model_calls with no error): its cache key and the stage that made it.</summary>
public sealed record LedgerCall(string Key, string Stage);

/// <summary>
/// A fresh copy of examples/offline.yaml in its own temp folder, so the store (offline.db) and the run's
/// files (out/RUN/) land beside it, plus the readers the pipeline tests need: scores and the call ledger.
/// </summary>
public sealed class OfflineCopy : IDisposable
{
    private readonly TempDir _dir = new();

    public OfflineCopy()
    {
        ConfigPath = _dir.Write("offline.yaml", File.ReadAllText(Path.Combine(RepoPaths.Examples, "offline.yaml")));
        StorePath = ConfigLoader.Load(ConfigPath).StorePath;
    }

    public string Directory => _dir.Path;
    public string ConfigPath { get; }

    /// <summary>The store the example names (store: offline.db), beside the copy.</summary>
    public string StorePath { get; }

    public string OutFile(string run, string name) => Path.Combine(_dir.Path, "out", run, name);

    /// <summary>The real CLI with this copy's config: `adaem COMMAND -c offline.yaml ARGS...`.</summary>
    public Task<CliResult> RunCliAsync(string command, params string[] args) =>
        CliProcess.RunAsync(Directory, [command, "-c", ConfigPath, .. args]);

    /// <summary>A column of a run's scores.csv (score, expressed_rate, ...) as model → value → number.</summary>
    public Dictionary<string, Dictionary<string, double>> ReadScores(string run, string column = "score")
    {
        var scores = new Dictionary<string, Dictionary<string, double>>(StringComparer.Ordinal);
        foreach (var row in TabularFile.Read(OutFile(run, "scores.csv")))
        {
            var model = row.Get("model")!;
            if (!scores.TryGetValue(model, out var byValue))
                scores[model] = byValue = new(StringComparer.Ordinal);
            byValue[row.Get("value")!] = double.Parse(row.Get(column)!, CultureInfo.InvariantCulture);
        }
        return scores;
    }

    /// <summary>
    /// The successful ledger rows of a run. Read-only and unpooled so it can watch a store another process
    /// is writing (WAL lets a reader in at any time); a store or table not created yet has no rows.
    /// </summary>
    public IReadOnlyList<LedgerCall> SuccessfulCalls(string run)
    {
        var rows = new List<LedgerCall>();
        if (!File.Exists(StorePath))
            return rows;
        try
        {
            using var connection = new SqliteConnection($"Data Source={StorePath};Mode=ReadOnly;Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT key, stage FROM model_calls WHERE error IS NULL AND run = $run";
            command.Parameters.AddWithValue("$run", run);
            using var reader = command.ExecuteReader();
            while (reader.Read())
                rows.Add(new LedgerCall(reader.GetString(0), reader.GetString(1)));
        }
        catch (SqliteException e) when (e.Message.Contains("no such table", StringComparison.Ordinal))
        {
            // The child has not migrated the store yet.
        }
        return rows;
    }

    public void Dispose() => _dir.Dispose();
}
