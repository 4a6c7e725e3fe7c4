using System.Text.Json;
using Adaem.Core.Planning;

namespace Adaem.Reports.Plans;

/// <summary>
/// A plan as JSON (`adaem plan --format json`): the run, per stage its calls by model and role, the models' rates,
/// the wall time, and the assumptions. Property names are snake_case; an unknown cost is null, never 0.
/// </summary>
public static class PlanJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    public static string Write(StudyPlan plan) =>
        JsonSerializer.Serialize(
            new
            {
                run = plan.Run,
                calls = plan.TotalCalls,
                input_tokens = plan.InputTokens,
                output_tokens = plan.OutputTokens,
                cost = plan.Cost,
                known_cost = plan.KnownCost,
                seconds = plan.Seconds,
                stages = plan.Stages.Select(s => new
                {
                    stage = s.Stage,
                    calls = s.TotalCalls,
                    input_tokens = s.InputTokens,
                    output_tokens = s.OutputTokens,
                    cost = s.Cost,
                    known_cost = s.KnownCost,
                    seconds = s.Seconds,
                    sequential_seconds = s.SequentialSeconds,
                    rows = s.Calls,
                    models = s.Models,
                }),
                assumptions = plan.Assumptions,
            },
            Options
        );
}
