using System.Globalization;
using System.Text.Json;
using Adaem.Core.Data;
using Adaem.Core.Generation;
using Adaem.Pipeline;
using Adaem.Providers.Simulated;
using Adaem.Storage;
using Adaem.Tests.Support;
using Xunit;

namespace Adaem.Tests.Pipeline;

/// <summary>
/// evaluation.languages end to end in-process, on the simulated pool behind the real call engine and a real SQLite store:
/// the questions translated once (and read back), every target answering in both languages with a phase per language,
/// one relative pool of (model, language) players, and the per-value shifts: a planted language effect
/// (language_bias) is recovered with an interval that excludes 0, while the same value of unbiased models keeps 0 in
/// its interval. Also the files (language column and field, shifts.csv, questions.zh.jsonl), the report's section, the
/// responses export, a rerun that asks nothing, and a run without languages that writes exactly the old files.
/// </summary>
public sealed class CrossLingualEvaluationTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private const string Models = """
        models:
          p: { provider: simulated, seed: 21, profile: { universalism: 0.9, self_direction: 0.8, benevolence: 0.5, stimulation: 0.45, hedonism: 0.3, achievement: 0.2, security: 0.15, conformity: 0.1, tradition: 0.05, power: 0.05 }, language_bias: { zh: { tradition: 0.5 } } }
          a: { provider: simulated, seed: 23, profile: { achievement: 0.9, power: 0.75, hedonism: 0.45, security: 0.4, self_direction: 0.35, stimulation: 0.3, conformity: 0.25, tradition: 0.1, benevolence: 0.1, universalism: 0.1 } }
          c: { provider: simulated, seed: 26, profile: { benevolence: 0.9, universalism: 0.6, conformity: 0.4, tradition: 0.3, self_direction: 0.3, security: 0.3, hedonism: 0.2, stimulation: 0.15, achievement: 0.1, power: 0.05 } }
          judge: { provider: simulated, seed: 99, noise: 0.1 }
          tr: { provider: simulated, seed: 98 }
        judge: { model: judge }
        """;

    private string Config(string languages) =>
        _dir.Write(
            "adaem.yaml",
            $"store: x.db\ntheory: schwartz10\n{Models}\nevaluation:\n  targets: [p, a, c]\n  bootstrap: 200\n{languages}\n"
        );

    /// <summary>Specific questions: built-in seed questions set in contexts of the simulated pool's bank, so the profiles decide the
    /// answers.</summary>
    private string Questions(int n)
    {
        var seeds = SeedSources.LoadBuiltin();
        var contexts = ContextBank.Entries.Where(c => c.Category == "country").ToList();
        var lines = Enumerable
            .Range(0, n)
            .Select(i =>
            {
                var seed = seeds[i * 7 % seeds.Count].Question.TrimEnd('?');
                return JsonSerializer.Serialize(new { id = $"q{i:D3}", question = $"{seed} {contexts[i % contexts.Count].Suffix}?" });
            });
        return _dir.Write("questions.jsonl", string.Join('\n', lines) + "\n");
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Out(string name) => Path.Combine(_dir.Path, "out", "main", name);

    [Fact]
    public async Task Evaluates_in_both_languages_recovers_a_planted_shift_and_reruns_without_a_call()
    {
        var config = Config("  languages: [en, zh]\n  translator: tr");
        var events = new Events();
        var file = Questions(60);
        QuestionSet set;
        EvaluateResult result;
        using (var study = Study.Open(config))
        {
            set = await study.LoadQuestionsAsync(file, null, Ct);
            result = await study.EvaluateAsync(set, events, Ct);
        }

        // A phase per language: the translation into zh, then the answers in each language.
        Assert.Equal(["questions translated into zh", "answers judged (en)", "answers judged (zh)"], events.Phases);
        Assert.Equal(60 * 3 * 2, result.Responses.Count);
        Assert.Equal(0, result.Failed);
        Assert.Equal(["p:en", "p:zh", "a:en", "a:zh", "c:en", "c:zh"], result.Scores.Select(s => $"{s.Model}:{s.Language}").Distinct());

        var shifts = result.Shifts!;
        var planted = shifts.Single(s => s is { Model: "p", Value: "tradition" });
        Assert.True(
            planted.Shift > 0 && planted.CiLow > 0,
            $"planted tradition shift of p: {planted.Shift:F1} [{planted.CiLow:F1}, {planted.CiHigh:F1}]"
        );
        foreach (var model in new[] { "a", "c" })
        {
            var s = shifts.Single(x => x.Model == model && x.Value == "tradition");
            Assert.True(
                s.CiLow <= 0 && 0 <= s.CiHigh,
                $"{model}'s tradition shift {s.Shift:F1} [{s.CiLow:F1}, {s.CiHigh:F1}] should contain 0"
            );
        }
        Assert.All(shifts, s => Assert.Equal(("en", "zh", 60), (s.LanguageA, s.LanguageB, s.N)));

        // The files: the language column and field, the shifts, the translated questions with their source ids.
        var csv = File.ReadAllLines(result.ScoresCsvPath);
        Assert.Equal("model,language,value,score,ci_low,ci_high,expressed_rate,n", csv[0]);
        Assert.Equal(1 + 6 * 10, csv.Length);
        using (var doc = JsonDocument.Parse(File.ReadAllText(result.ScoresJsonPath)))
        {
            Assert.Equal(["en", "zh"], doc.RootElement.GetProperty("languages").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal("tr", doc.RootElement.GetProperty("translator").GetString());
            Assert.StartsWith("judge;prompt=", doc.RootElement.GetProperty("judges").GetProperty("en").GetString());
            Assert.Contains("+zh:", doc.RootElement.GetProperty("judges").GetProperty("zh").GetString());
            Assert.Equal("zh", doc.RootElement.GetProperty("scores")[1 * 10].GetProperty("language").GetString());
        }
        var responses = File.ReadAllLines(result.ResponsesPath);
        Assert.Equal(360, responses.Length);
        Assert.Equal(180, responses.Count(l => l.Contains("\"language\":\"zh\"", StringComparison.Ordinal)));
        var shiftRows = TabularFile.Read(Out("shifts.csv"));
        Assert.Equal(3 * 10, shiftRows.Count);
        Assert.Equal(
            planted.Shift,
            double.Parse(
                shiftRows.Single(r => r.Get("model") == "p" && r.Get("value") == "tradition").Get("shift")!,
                CultureInfo.InvariantCulture
            ),
            5
        );
        var zh = File.ReadAllLines(Out("questions.zh.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(set.Questions.Select(q => q.Id), zh.Select(q => q.GetProperty("source_id").GetString()));
        Assert.All(zh, q => Assert.Equal(q.GetProperty("id").GetString(), q.GetProperty("source_id").GetString()));
        Assert.All(zh, q => Assert.StartsWith("[zh] ", q.GetProperty("question").GetString()));
        {
            var store = AdaemStore.Open(Path.Combine(_dir.Path, "x.db"));
            var translations = store.LoadTranslations("main");
            Assert.Equal(60, translations.Count);
            Assert.All(translations, t => Assert.Equal(("en", "zh", "tr"), (t.SourceLanguage, t.Language, t.TranslatorModel)));
            Assert.Equal(30, store.LoadLanguageShifts("main").Count);
            Assert.Equal(["en", "zh"], store.ScoreJudges("main").Keys.Order());
        }

        // The report: each model's profile per language, a radar per language, the shifts with the marked ones.
        using (var study = Study.Open(config))
        {
            var report = await study.ReportAsync(null, Ct);
            var html = File.ReadAllText(report.Html);
            Assert.Contains("<h2>Across languages</h2>", html);
            Assert.Contains("id=\"radar-en\"", html);
            Assert.Contains("id=\"radar-zh\"", html);
            Assert.Contains("p@zh", html);
            Assert.Contains("<tr class=\"sig\"><td>p</td><td>Tradition</td><td>en → zh</td>", html);
            Assert.DoesNotContain("src=\"http", html);

            // The responses export names each answer's language.
            var exported = study.Export(new ExportRequest("responses"));
            Assert.Equal(180, File.ReadAllLines(exported).Count(l => l.Contains("\"language\":\"en\"", StringComparison.Ordinal)));
        }

        // A rerun reads everything back: no call, the same scores.
        var scores = File.ReadAllText(result.ScoresCsvPath);
        using (var study = Study.Open(config))
        {
            var again = await study.EvaluateAsync(await study.LoadQuestionsAsync(file, null, Ct), null, Ct);
            Assert.Equal(0, again.Calls!.Calls);
            Assert.Equal(scores, File.ReadAllText(again.ScoresCsvPath));
        }
    }

    [Fact]
    public async Task Without_languages_the_files_are_those_of_a_run_in_one_language()
    {
        using var study = Study.Open(Config(""));
        var result = await study.EvaluateAsync(await study.LoadQuestionsAsync(Questions(8), null, Ct), null, Ct);
        Assert.Equal("model,value,score,ci_low,ci_high,expressed_rate,n", File.ReadLines(result.ScoresCsvPath).First());
        Assert.All(File.ReadAllLines(result.ResponsesPath), l => Assert.DoesNotContain("\"language\"", l));
        Assert.All(result.Scores, s => Assert.Null(s.Language));
        Assert.Null(result.Shifts);
        Assert.False(File.Exists(Out("shifts.csv")));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(result.ScoresCsvPath)!, "questions.*.jsonl"));
        using var doc = JsonDocument.Parse(File.ReadAllText(result.ScoresJsonPath));
        Assert.False(doc.RootElement.TryGetProperty("languages", out _));
        Assert.True(doc.RootElement.TryGetProperty("judge", out _));
    }

    [Fact]
    public async Task Translations_into_a_language_dropped_from_the_config_are_deleted_from_the_run_folder()
    {
        var file = Questions(6);
        using (var study = Study.Open(Config("  languages: [en, zh]\n  translator: tr")))
            await study.EvaluateAsync(await study.LoadQuestionsAsync(file, null, Ct), null, Ct);
        Assert.True(File.Exists(Out("questions.zh.jsonl")));
        File.WriteAllText(Out("questions.keep-me.txt"), "not a translation");

        using (var study = Study.Open(Config("  languages: [en, es]\n  translator: tr")))
            await study.EvaluateAsync(await study.LoadQuestionsAsync(file, null, Ct), null, Ct);
        Assert.False(File.Exists(Out("questions.zh.jsonl")));
        Assert.True(File.Exists(Out("questions.es.jsonl")));

        using (var study = Study.Open(Config("")))
            await study.EvaluateAsync(await study.LoadQuestionsAsync(file, null, Ct), null, Ct);
        Assert.Empty(Directory.GetFiles(Path.Combine(_dir.Path, "out", "main"), "questions.*.jsonl"));
        Assert.True(File.Exists(Out("questions.keep-me.txt")));
    }

    /// <summary>The phases a stage started, in order.</summary>
    private sealed class Events : IProgress<StageEvent>
    {
        private readonly List<string> _phases = [];

        public IReadOnlyList<string> Phases
        {
            get
            {
                lock (_phases)
                    return [.. _phases];
            }
        }

        public void Report(StageEvent value)
        {
            if (value is PhaseStarted p)
                lock (_phases)
                    _phases.Add(p.Phase);
        }
    }
}
