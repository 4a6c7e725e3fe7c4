using Adaem.Core.Analysis;
using Dapper;

namespace Adaem.Storage;

public sealed partial class AdaemStore : ITraceLedger
{
    /// <summary>Uses the (run, stage, model) index, then picks the samples out of the canonical request.</summary>
    public IReadOnlyList<TraceLedgerRow> LoadGenerationCalls(string run, string model, IReadOnlyCollection<int> samples)
    {
        using var c = Connect();
        return c.Query<TraceLedgerRow>(
                """
                SELECT request_json AS RequestJson, response_text AS ResponseText, error AS Error
                FROM model_calls
                WHERE run = @run AND stage = 'generate' AND model = @model AND json_extract(request_json, '$.sample') IN @samples
                ORDER BY id
                """,
                new
                {
                    run,
                    model,
                    samples = samples.ToArray(),
                }
            )
            .AsList();
    }
}
