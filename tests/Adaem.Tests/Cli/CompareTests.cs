using System.Text.Json;
using Adaem.Tests.Support;

namespace Adaem.Tests.Cli;

/// <summary>
/// `adaem compare` as a real process on the simulated pool: two evaluations in one store (different question
/// files), one in a second store with another judge (same questions), then compared within and across stores.
/// </summary>
public sealed class CompareTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Questions(string name, string topic) =>
        _dir.Write(
            name,
            string.Join(
                '\n',
                Enumerable
                    .Range(1, 6)
                    .Select(i => JsonSerializer.Serialize(new { id = $"{topic}{i}", question = $"Should town {i} {topic} on Sundays?" }))
            ) + "\n"
        );

    private string Config(string name, string store, int judgeSeed, int t1Seed = 4) =>
        _dir.Write(
            name,
            $$"""
            store: {{store}}
            models:
              t1: { provider: simulated, seed: {{t1Seed}}, profile: { achievement: 0.9, power: 0.7 } }
              t2: { provider: simulated, seed: 5, profile: { benevolence: 0.9, universalism: 0.7 } }
              t3: { provider: simulated, seed: 6, profile: { tradition: 0.9, security: 0.7 } }
              judge: { provider: simulated, seed: {{judgeSeed}} }
            judge: { model: judge, mode: batched }
            evaluation:
              targets: [t1, t2, t3]
              bootstrap: 20
              seed: 3
            """
        );

    private static async Task Evaluate(string dir, string config, string run, string questions)
    {
        var r = await CliProcess.RunAsync(dir, "evaluate", "-c", config, "--run", run, "--questions", questions, "--quiet");
        Assert.True(r.ExitCode == 0, r.All);
    }

    private static List<string[]> Csv(string path) => File.ReadAllLines(path).Skip(1).Select(l => l.Split(',')).ToList();

    [Fact]
    public async Task Runs_that_give_the_same_ids_to_other_texts_share_no_question()
    {
        var a = Config("a.yaml", "a.db", 99);
        // Same ids (x1..x6), other texts: the two runs asked different questions.
        var q1 = _dir.Write(
            "same-ids-1.jsonl",
            string.Join(
                '\n',
                Enumerable
                    .Range(1, 6)
                    .Select(i => JsonSerializer.Serialize(new { id = $"x{i}", question = $"Should town {i} ban cars on Sundays?" }))
            ) + "\n"
        );
        var q2 = _dir.Write(
            "same-ids-2.jsonl",
            string.Join(
                '\n',
                Enumerable
                    .Range(1, 6)
                    .Select(i =>
                        JsonSerializer.Serialize(
                            new { id = $"x{i}", question = $"Should city {i} tax sugary drinks even if it limits personal freedom?" }
                        )
                    )
            ) + "\n"
        );
        await Evaluate(_dir.Path, a, "s1", q1);
        await Evaluate(_dir.Path, a, "s2", q2);
        await Evaluate(_dir.Path, a, "s3", q1);

        var other = await CliProcess.RunAsync(_dir.Path, "compare", "-c", a, "--runs", "s1,s2");
        Assert.True(other.ExitCode == 0, other.All);
        Assert.Contains("no shared question", other.Stdout);
        // The same texts under the same ids are shared.
        var same = await CliProcess.RunAsync(_dir.Path, "compare", "-c", a, "--runs", "s1,s3");
        Assert.True(same.ExitCode == 0, same.All);
        Assert.Contains("paired permutation over 6 shared questions", same.Stdout);
    }

    [Fact]
    public async Task Compare_writes_a_row_per_model_and_value_and_a_self_contained_page_within_and_across_stores()
    {
        var a = Config("a.yaml", "a.db", 99);
        var b = Config("b.yaml", "b.db", 98);
        var q1 = Questions("q1.jsonl", "ban cars");
        var q2 = Questions("q2.jsonl", "close shops");
        await Evaluate(_dir.Path, a, "r1", q1);
        await Evaluate(_dir.Path, a, "r2", q2);
        await Evaluate(_dir.Path, b, "main", q1);

        // Same store, different questions: bootstrap.
        var same = await CliProcess.RunAsync(_dir.Path, "compare", "-c", a, "--runs", "r1,r2");
        Assert.True(same.ExitCode == 0, same.All);
        Assert.Contains("compare r1 (A) vs r2 (B): 3 models and ", same.Stdout);
        Assert.Matches(
            @"order changes: \d+ of \d+ pairs tested changed order \(bootstrap over each run's questions \(no shared question\), 2000 resamples, Holm-adjusted over all \d+\)",
            same.Stdout
        );
        var outDir = _dir.File(Path.Combine("out", "compare-r1-r2"));
        var expected = Csv(_dir.File(Path.Combine("out", "r1", "scores.csv"))).Select(c => (c[0], c[1])).ToHashSet();
        Assert.NotEmpty(expected);
        var rows = Csv(Path.Combine(outDir, "compare.csv"));
        Assert.Equal(expected, rows.Select(c => (c[0], c[1])).ToHashSet());
        Assert.Equal(expected.Count, rows.Count);
        Assert.All(rows, c => Assert.Equal(12, c.Length));
        Assert.All(rows, c => Assert.NotEqual("", c[8])); // every model and value is in both runs, so every difference is there
        var html = File.ReadAllText(Path.Combine(outDir, "compare.html"));
        Assert.Contains("Rank agreement per value", html);
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);

        // Across stores, same questions, another judge: the paired permutation test over the 6 shared questions.
        var across = await CliProcess.RunAsync(_dir.Path, "compare", "-c", a, "--runs", "a.db:r1,b.db:main", "--out", _dir.File("cmp"));
        Assert.True(across.ExitCode == 0, across.All);
        Assert.Contains("paired permutation over 6 shared questions", across.Stdout);
        Assert.Equal(expected, Csv(_dir.File(Path.Combine("cmp", "compare.csv"))).Select(c => (c[0], c[1])).ToHashSet());
        Assert.True(File.Exists(_dir.File(Path.Combine("cmp", "compare.html"))));
    }

    [Fact]
    public async Task A_target_name_that_is_another_model_in_each_store_is_compared_as_two_models()
    {
        // 't1' is a simulated model with seed 4 in a.db and seed 7 in c.db: same name, another model.
        var a = Config("a.yaml", "a.db", 99);
        var c = Config("c.yaml", "c.db", 99, t1Seed: 7);
        var q1 = Questions("q1.jsonl", "ban cars");
        await Evaluate(_dir.Path, a, "r1", q1);
        await Evaluate(_dir.Path, c, "main", q1);

        var r = await CliProcess.RunAsync(_dir.Path, "compare", "-c", a, "--runs", "a.db:r1,c.db:main", "--out", _dir.File("cmp"));

        Assert.True(r.ExitCode == 0, r.All);
        Assert.Contains("warning: target 't1' is another model in each run", r.Stderr);
        Assert.Contains("compared as two models, 't1 (a.db:r1)' and 't1 (c.db:main)'", r.Stderr);
        Assert.Contains("compare a.db:r1 (A) vs c.db:main (B): 2 models and ", r.Stdout);
        var rows = Csv(_dir.File(Path.Combine("cmp", "compare.csv")));
        Assert.DoesNotContain(rows, row => row[0] == "t1");
        // Each side's t1 has its own rows, with nothing to compare against.
        Assert.Contains(rows, row => row[0] == "t1 (a.db:r1)" && row[8] == "");
        Assert.Contains(rows, row => row[0] == "t1 (c.db:main)" && row[8] == "");
        Assert.Contains(rows, row => row[0] == "t2" && row[8] != "");
    }

    [Fact]
    public async Task A_missing_store_or_a_run_without_scores_is_exit_2_with_the_fix()
    {
        var a = Config("a.yaml", "a.db", 99);
        await Evaluate(_dir.Path, a, "r1", Questions("q1.jsonl", "ban cars"));

        var missing = await CliProcess.RunAsync(_dir.Path, "compare", "-c", a, "--runs", "r1,nowhere.db:main");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("nowhere.db", missing.Stderr);
        Assert.Contains("does not exist", missing.Stderr);
        Assert.False(File.Exists(_dir.File("nowhere.db")));

        var unscored = await CliProcess.RunAsync(_dir.Path, "compare", "-c", a, "--runs", "r1,ghost");
        Assert.Equal(2, unscored.ExitCode);
        Assert.Contains("run 'ghost' has no scores", unscored.Stderr);
        Assert.Contains("adaem evaluate --run ghost", unscored.Stderr);

        var one = await CliProcess.RunAsync(_dir.Path, "compare", "-c", a, "--runs", "r1");
        Assert.Equal(2, one.ExitCode);
        Assert.Contains("does not name two runs", one.Stderr);
        Assert.False(Directory.Exists(_dir.File(Path.Combine("out", "compare-r1-ghost"))));
    }
}
