using Adaem.Core.Configuration;
using Adaem.Core.Generation;
using Adaem.Pipeline;
using Adaem.Storage;
using Adaem.Tests.Support;
using Xunit;

namespace Adaem.Tests.Generation;

/// <summary>
/// Seeds stay English and are translated on demand when generation runs in another language: by evaluation.translator,
/// stored like every translation (under the seed question's id), read back on a rerun, and what the seed scoring and the
/// explorers read. Without a translator the stage says it asks the seeds in English.
/// </summary>
public sealed class SeedTranslationTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Config(string translator) =>
        _dir.Write(
            "adaem.yaml",
            $"""
            store: x.db
            models:
              e1: {"{"} provider: simulated, seed: 1 {"}"}
              e2: {"{"} provider: simulated, seed: 2 {"}"}
              s3: {"{"} provider: simulated, seed: 3 {"}"}
              j:  {"{"} provider: simulated, seed: 4 {"}"}
              tr: {"{"} provider: simulated, seed: 5 {"}"}
            judge: {"{"} model: j {"}"}
            generation:
              language: zh
              explorers: [e1, e2]
              scorers: [e1, e2]
              budget: 2
              questions_per_step: 1
              max_refinements: 0
              max_arms: 3
            evaluation:
              targets: [s3, e1]
            {translator}
            """
        );

    [Fact]
    public async Task Generation_in_another_language_reads_the_seed_questions_translated_and_a_rerun_asks_nothing()
    {
        var config = Config("  translator: tr");
        using (var study = Study.Open(config))
        {
            var result = await study.GenerateAsync(null, null, TestContext.Current.CancellationToken);
            Assert.Equal(2, result.Summary.StepsDone);
        }
        var store = AdaemStore.Open(Path.Combine(_dir.Path, "x.db"));
        var arms = store.LoadArms("main");
        Assert.Equal(3, arms.Count);
        // The stored arms stay English; their translations are stored under the seed question's id.
        Assert.All(arms, a => Assert.DoesNotContain("[zh]", a.Question));
        var translations = store.LoadTranslations("main");
        Assert.Equal(arms.Select(a => "seed:" + a.Id).Order(), translations.Select(t => t.SourceId).Order());
        Assert.All(translations, t => Assert.Equal(("en", "zh", "tr"), (t.SourceLanguage, t.Language, t.TranslatorModel)));
        // The seed question scored and the explorers' general question are the translations.
        var rows = store.LoadQuestions("main");
        Assert.All(rows.Where(r => r.Status == QuestionStatus.Seed), r => Assert.StartsWith("[zh] ", r.Question));
        Assert.All(rows.Where(r => r.Step is not null), r => Assert.StartsWith("[zh] ", r.Seed));

        using (var study = Study.Open(config))
        {
            var again = await study.GenerateAsync(null, null, TestContext.Current.CancellationToken);
            Assert.Equal(0, again.Calls!.Calls);
        }
        Assert.Equal(3, store.LoadTranslations("main").Count);
    }

    [Fact]
    public void Without_a_translator_the_seeds_are_asked_in_english_with_a_warning()
    {
        var warnings = GenerationChecks.Warnings(ConfigLoader.Load(Config("")));
        Assert.Contains(warnings, w => w.Contains("the seeds are English and no evaluation.translator is set", StringComparison.Ordinal));
        Assert.DoesNotContain(
            GenerationChecks.Warnings(ConfigLoader.Load(Config("  translator: tr"))),
            w => w.Contains("seeds are English", StringComparison.Ordinal)
        );
    }
}
