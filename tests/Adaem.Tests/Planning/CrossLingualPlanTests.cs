using System.Text.Json;
using Adaem.Core.Configuration;
using Adaem.Core.Planning;
using Adaem.Core.Prompts;
using Adaem.Providers.Planning;
using Adaem.Tests.Support;

namespace Adaem.Tests.Planning;

/// <summary>`adaem plan` for evaluation.languages: the answers and judgments once per language, and a translation per question and foreign
/// language.</summary>
public sealed class CrossLingualPlanTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_cross_lingual_evaluation_plans_every_language_and_the_translations()
    {
        var questions = _dir.Write(
            "questions.jsonl",
            string.Join(
                "\n",
                Enumerable
                    .Range(0, 4)
                    .Select(i => JsonSerializer.Serialize(new { id = $"q{i}", question = $"Should cities ban cars, case {i}?" }))
            ) + "\n"
        );
        var config = ConfigLoader.Load(
            _dir.Write(
                "adaem.yaml",
                """
                store: adaem.db
                models:
                  a:  { provider: simulated, seed: 1 }
                  b:  { provider: simulated, seed: 2 }
                  j:  { provider: simulated, seed: 3 }
                  tr: { provider: simulated, seed: 4 }
                judge: { model: j }
                evaluation:
                  targets: [a, b]
                  languages: [en, zh, de]
                  translator: tr
                """
            )
        );
        var plan = await PlanWiring
            .Planner(config, NoPlanHistory.Instance, 2.0)
            .PlanAsync(
                new PlanRequest("main", Path.Combine(config.Directory, "out", "main"), questions),
                null,
                TestContext.Current.CancellationToken
            );

        var e = plan.Stages.Single(s => s.Stage == "evaluate");
        double Calls(string model, string role) => e.Calls.Single(c => c.Model == model && c.Role == role).Calls;
        Assert.Equal(4 * 3, Calls("a", PromptRoles.Opinion));
        Assert.Equal(2 * 4 * 3, Calls("j", PromptRoles.JudgeBatched));
        // The questions are English (the generation language): translated into zh and de, not en.
        Assert.Equal(4 * 2, Calls("tr", PromptRoles.Translate));
        Assert.Contains(plan.Assumptions, a => a.Contains("× 3 languages (en, zh, de)", StringComparison.Ordinal));
    }
}
