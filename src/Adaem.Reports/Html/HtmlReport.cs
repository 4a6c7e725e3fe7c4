using System.Text;
using Adaem.Core.Analysis;
using Adaem.Core.Analysis.Validity;
using Adaem.Reports.Charts;
using Adaem.Reports.Sections;
using static Adaem.Reports.Html.Html;

namespace Adaem.Reports.Html;

/// <summary>Renders the report page from precomputed parts; one method per section, in reading order.</summary>
internal sealed class HtmlReport(
    ReportInput input,
    ValueProfiles profiles,
    ResponseSummary? answers,
    ModelDistanceMatrix distances,
    IReadOnlyDictionary<string, IReadOnlyList<SeparatingQuestion>>? separating,
    BenchmarkStatistics? statistics,
    string radarSvg,
    string heatmapSvg,
    string distanceSvg,
    double confidence
)
{
    private readonly StringBuilder _sb = new();

    /// <summary>The rendered "Across languages" section of a cross-lingual evaluation; null for a run in one language.</summary>
    public string? AcrossLanguages { get; init; }

    public string Render()
    {
        _sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
        _sb.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        _sb.Append($"<title>adaem report · {E(input.Run)}</title><style>{ReportStyle.Css}</style></head><body><main>");
        Header();
        Radar();
        Heatmap();
        if (AcrossLanguages is { } across)
            _sb.Append(across);
        Distances();
        Separating();
        Statistics();
        Validity();
        ProvenanceSection();
        _sb.Append("<footer>Written by adaem");
        if (input.Provenance.AdaemVersion is { } v)
            _sb.Append($" {E(v)}");
        _sb.Append(". This page is self-contained: it loads nothing from the network.</footer></main></body></html>\n");
        return _sb.ToString();
    }

    private void Header()
    {
        var theory = input.Theory;
        _sb.Append($"<header><h1>Value profiles · run <code>{E(input.Run)}</code></h1>");
        var players = input.PlayerModels;
        _sb.Append(
            players is null
                ? $"<p class=\"lede\">{profiles.Models.Count} models scored on the {theory.Count} values of {E(theory.Name)}"
                : $"<p class=\"lede\">{players.Values.Distinct(StringComparer.Ordinal).Count()} models scored in {profiles.Models.Count / Math.Max(1, players.Values.Distinct(StringComparer.Ordinal).Count())} languages (each model@language a player of one pool) on the {theory.Count} values of {E(theory.Name)}"
        );
        if (input.Questions is { } qs)
            _sb.Append($" over {N(qs.Count)} questions");
        _sb.Append(
            ". Scores are relative win rates (0–100) within this pool of models and this question set: compare models with each other, not with other runs.</p>"
        );
        if (PoolChangeNote(input.Provenance.Instruments) is { } note)
            _sb.Append($"<p class=\"note\" id=\"pool-change\">{E(note)}</p>");
        var simulated = SimulatedModels();
        if (simulated.Count > 0)
        {
            _sb.Append("<div class=\"banner\" id=\"synthetic-banner\" role=\"alert\"><strong>Synthetic respondents.</strong> ");
            _sb.Append(
                $"{E(string.Join(", ", simulated))} {(simulated.Count == 1 ? "is a" : "are")} simulated respondent{(simulated.Count == 1 ? "" : "s")} "
            );
            _sb.Append(
                "(provider <code>simulated</code>) with latent value profiles, not real language models. These numbers show that the pipeline works and recovers known profiles; they say nothing about any real LLM.</div>"
            );
        }
        _sb.Append("<nav><a href=\"#radar\">Profiles</a><a href=\"#heatmap\">Scores</a>");
        if (AcrossLanguages is not null)
            _sb.Append("<a href=\"#languages\">Across languages</a>");
        _sb.Append("<a href=\"#distances\">Distances</a>");
        _sb.Append(
            "<a href=\"#separating\">Separating questions</a><a href=\"#benchmark\">Benchmark</a><a href=\"#validity\">Validity</a><a href=\"#provenance\">Provenance</a></nav></header>"
        );
    }

    private List<string> SimulatedModels()
    {
        var byName = input.Provenance.Models.ToDictionary(m => m.Name, StringComparer.Ordinal);
        // A cross-lingual report's players are model@language: the banner names the models.
        var models = input.PlayerModels is { } players
            ? profiles.Models.Select(p => players.GetValueOrDefault(p, p)).Distinct(StringComparer.Ordinal)
            : profiles.Models;
        var names = models.Where(m => byName.TryGetValue(m, out var info) && info.Simulated).ToList();
        if (input.Provenance.Judge is { } j && byName.TryGetValue(j, out var judge) && judge.Simulated)
            names.Add($"the judge ({j})");
        return names;
    }

    private void Radar()
    {
        _sb.Append("<section id=\"radar\"><h2>Value profiles</h2>");
        _sb.Append(
            "<p>Each polygon is one model; the axes follow the theory's circle, so neighbouring values are compatible and opposite ones conflict. A model that rises on one side of the circle and falls on the other has a coherent profile.</p>"
        );
        _sb.Append(
            $"<figure class=\"radar\">{radarSvg}<figcaption>Axes: {string.Join(", ", input.Theory.Values.Select(v => $"{E(v.Abbreviation)} = {E(v.Name)}"))}. Also saved as radar.png and radar.svg.</figcaption></figure>"
        );
        _sb.Append("<div class=\"legend\">");
        for (var m = 0; m < profiles.Models.Count; m++)
            _sb.Append($"<span><i style=\"background:{Palette.Model(m)}\"></i>{E(profiles.Models[m])}</span>");
        _sb.Append("</div></section>");
    }

    private void Heatmap()
    {
        _sb.Append($"<section id=\"heatmap\"><h2>Scores with {F(confidence * 100, 0)}% confidence intervals</h2>");
        _sb.Append(
            "<p>Rows are models, columns values (in circle order). The big number is the score, the bracket its bootstrap confidence interval over questions. Two scores whose intervals overlap a lot should not be told apart. Hover a cell for how often the model expressed the value.</p>"
        );
        _sb.Append($"<div class=\"scroll\">{heatmapSvg}</div></section>");
    }

    private void Distances()
    {
        _sb.Append("<section id=\"distances\"><h2>How far apart are the models?</h2>");
        _sb.Append(
            "<p>Each cell is the root-mean-square difference between two models' scores over all values, in score points (how far apart they are on a typical value)."
        );
        if (distances.P is not null)
            _sb.Append(
                $" A starred, outlined cell is a pair whose answers differ beyond question-sampling noise: a paired permutation test over the questions both answered ({N(distances.Permutations)} sign flips), Holm-corrected over all pairs, at α = {F(distances.Alpha, 2)}. Hover for the p-values.</p>"
            );
        else
            _sb.Append(
                " Significance is not shown: it needs the per-question answers in responses.jsonl, which this run's directory lacks.</p>"
            );
        _sb.Append($"<div class=\"scroll\">{distanceSvg}</div>");
        if (distances.P is not null)
        {
            var pairs = new List<string>();
            for (var i = 0; i < distances.Models.Count; i++)
            for (var j = i + 1; j < distances.Models.Count; j++)
                if (!distances.Significant(i, j))
                    pairs.Add($"{distances.Models[i]} – {distances.Models[j]}");
            _sb.Append(
                pairs.Count == 0
                    ? "<p class=\"note\">Every pair of models differs significantly.</p>"
                    : $"<p class=\"note\">Not distinguishable at this sample size: {E(string.Join("; ", pairs))}.</p>"
            );
        }
        _sb.Append("</section>");
    }

    private void Separating()
    {
        _sb.Append("<section id=\"separating\"><h2>Questions that separate the models</h2>");
        if (separating is null)
        {
            _sb.Append("<p class=\"note\">Not available: responses.jsonl is missing from the run's directory.</p></section>");
            return;
        }
        _sb.Append(
            "<p>For each value, the questions on which the models split most evenly on expressing it, and where that split agrees best with the final scores. ✔ marks a key point the judge tagged with the value.</p>"
        );
        foreach (var value in input.Theory.Values)
        {
            var list = separating.TryGetValue(value.Code, out var l) ? l : [];
            _sb.Append(
                $"<details><summary><strong>{E(value.Name)}</strong> ({E(value.Abbreviation)}) · {list.Count} question{(list.Count == 1 ? "" : "s")}</summary>"
            );
            if (list.Count == 0)
                _sb.Append("<p class=\"note\">No question split the models on this value.</p>");
            foreach (var q in list)
            {
                _sb.Append($"<div class=\"question\"><p class=\"q\">{E(q.Text)}</p><p class=\"meta\">id {E(q.QuestionId)}");
                if (q.Category is not null)
                    _sb.Append($" · {E(q.Category)}");
                _sb.Append($" · split {F(q.Split, 2)} · agreement with scores r = {F(q.Discrimination, 2)}</p>");
                _sb.Append(
                    "<table class=\"answers\"><thead><tr><th>model</th><th>stance</th><th>shows value</th><th>key points</th></tr></thead><tbody>"
                );
                foreach (var a in q.Answers)
                {
                    var shows =
                        a.Expressed >= 1 ? "yes"
                        : a.Expressed <= 0 ? "no"
                        : Pct(a.Expressed);
                    _sb.Append(
                        $"<tr class=\"{(a.Expressed > 0 ? "on" : "off")}\"><td>{E(a.Model)}</td><td>{E(a.Stance)}</td><td>{shows}</td><td><ol>"
                    );
                    foreach (var (text, on) in a.KeyPoints)
                        _sb.Append($"<li>{(on ? "✔ " : "")}{E(text)}</li>");
                    _sb.Append("</ol></td></tr>");
                }
                _sb.Append("</tbody></table></div>");
            }
            _sb.Append("</details>");
        }
        _sb.Append("</section>");
    }

    private void Statistics()
    {
        _sb.Append("<section id=\"benchmark\"><h2>The benchmark</h2>");
        if (statistics is not { } s)
        {
            _sb.Append("<p class=\"note\">Not available: questions.jsonl is missing from the run's directory.</p></section>");
            return;
        }
        _sb.Append("<table class=\"stats\"><tbody>");
        Row("questions", N(s.Count), "");
        Row("average length", $"{F(s.AverageWords, 2)} words", "longer questions carry more specific context");
        Row(
            "Self-BLEU",
            F(s.SelfBleu, 2),
            $"BLEU-4 of each question against all others, ×100, over all {N(s.SelfBleuHypotheses)} questions; lower = less repetitive"
        );
        Row("Distinct-2", F(s.Distinct2, 3), "distinct word pairs / all word pairs; higher = more varied wording");
        Row("mean pairwise similarity", F(s.MeanPairwiseSimilarity, 3), $"{E(s.SimilarityMethod)} over all pairs; lower = more diverse");
        Row(
            "categories",
            s.Categories.Count == 0 ? "none recorded" : $"{s.Categories.Count} (evenness {F(s.CategoryEvenness, 2)})",
            "evenness 1 = questions spread evenly over the categories present"
        );
        if (input.Provenance.DropReasons is { Count: > 0 } drops)
        {
            var earlier = drops.GetValueOrDefault("in_earlier_benchmark");
            Row(
                "candidates dropped",
                string.Join(
                    ", ",
                    drops.OrderByDescending(d => d.Value).ThenBy(d => d.Key, StringComparer.Ordinal).Select(d => $"{E(d.Key)} {N(d.Value)}")
                ),
                earlier > 0
                    ? $"{N(earlier)} repeated a question of an earlier benchmark named in generation.exclude"
                    : "by the generation loop, per reason"
            );
        }
        _sb.Append("</tbody></table>");
        if (s.Categories.Count > 0)
        {
            _sb.Append("<div class=\"bars\">");
            var max = s.Categories.Max(c => c.Count);
            foreach (var c in s.Categories)
                _sb.Append(
                    $"<div class=\"bar\"><span class=\"label\">{E(c.Category)}</span><span class=\"track\"><span class=\"fill\" style=\"width:{C(100.0 * c.Count / max)}%\"></span></span><span class=\"n\">{N(c.Count)} ({Pct(c.Share)})</span></div>"
                );
            if (s.Uncategorised > 0)
                _sb.Append($"<p class=\"note\">{N(s.Uncategorised)} questions have no category.</p>");
            _sb.Append("</div>");
        }
        _sb.Append("</section>");
    }

    private void Row(string name, string value, string help) =>
        _sb.Append($"<tr><th>{E(name)}</th><td>{value}</td><td class=\"help\">{help}</td></tr>");

    private void Validity()
    {
        _sb.Append("<section id=\"validity\"><h2>Validity</h2>");
        var v = input.Validity;
        if (v is null || v.IsEmpty)
        {
            _sb.Append(
                "<p class=\"note\">No validity analysis has been run for this run yet. Run <code>adaem validate reliability</code>, <code>subsets</code>, <code>baseline</code>, <code>priming</code>, <code>score</code> or <code>judge</code>; the results land in validity.json and appear here.</p></section>"
            );
            return;
        }
        if (v.Scoring is { } scoring)
            _sb.Append($"<p class=\"note\">Re-scored with: {E(scoring)}.</p>");
        if (v.Score is { } score)
            ValiditySections.Score(_sb, score);
        if (v.Judge is { } judge)
            ValiditySections.Judge(_sb, judge);
        if (v.Reliability is { } r)
        {
            _sb.Append("<h3>Reliability over random folds</h3>");
            _sb.Append(
                $"<p>The questions were dealt into {r.Folds} random folds ({E(string.Join(", ", r.QuestionsPerFold))} questions) and each fold scored alone; the {N(r.Subjects)} (model, value) scores are the subjects, the folds the items.</p>"
            );
            _sb.Append(
                $"<table class=\"stats\"><tbody><tr><th>Cronbach's α</th><td>{F(r.CronbachAlpha, 3)}</td><td class=\"help\">≥ 0.8 good, ≥ 0.9 excellent; the paper reports 0.899</td></tr>"
            );
            _sb.Append(
                $"<tr><th>coefficient of variation</th><td>{F(r.CoefficientOfVariation, 3)}</td><td class=\"help\">mean over subjects of sd/mean across folds; smaller = steadier</td></tr></tbody></table>"
            );
        }
        if (v.Subsets is { } sub)
        {
            _sb.Append("<h3>Subset consistency</h3>");
            _sb.Append($"<p>Scores from random question subsets against the scores from all {N(sub.Questions)} questions.</p>");
            _sb.Append(
                "<table><thead><tr><th>subset size</th><th>repeats</th><th>Pearson (mean)</th><th>Pearson (worst)</th><th>Spearman (mean)</th></tr></thead><tbody>"
            );
            foreach (var a in sub.Subsets)
                _sb.Append(
                    $"<tr><td>{N(a.Size)}{(a.Size != a.Requested ? $" (asked {N(a.Requested)})" : "")}{(a.IsFullSet ? " = all questions" : "")}</td><td>{a.Repeats}</td><td>{F(a.PearsonMean, 3)}</td><td>{F(a.PearsonMin, 3)}</td><td>{F(a.SpearmanMean, 3)}</td></tr>"
                );
            _sb.Append("</tbody></table>");
        }
        if (v.Baseline is { } b)
        {
            _sb.Append("<h3>Distinguishability against a static baseline</h3>");
            _sb.Append(
                $"<p>The same models, judge and scoring on the baseline items of <code>{E(Path.GetFileName(b.File))}</code>. Lower mean profile correlation and higher within-model spread mean the item set tells the models apart better.</p>"
            );
            _sb.Append(
                "<p>The verdict takes the correlation of the models' expression-rate profiles and the spread of their scores. On relative scores the mean correlation is pinned near −1/(K−1) by construction (each value's win rates average 50), so it is shown only for comparison with the paper.</p>"
            );
            _sb.Append(
                "<table><thead><tr><th>item set</th><th>items</th><th>expression rates: mean profile correlation ↓</th><th>scores: mean within-model sd ↑</th><th>expression rates: mean within-model sd</th><th>scores: mean profile correlation</th></tr></thead><tbody>"
            );
            foreach (var set in new[] { b.Result.Run, b.Result.Baseline })
                _sb.Append(
                    $"<tr><td>{E(set.Name)}</td><td>{N(set.Items)}</td><td>{F(set.Expression?.MeanProfileCorrelation ?? double.NaN, 3)}</td><td>{F(set.Distinguishability.MeanWithinModelSpread, 3)}</td><td>{F(set.Expression?.MeanWithinModelSpread ?? double.NaN, 3)}</td><td>{F(set.Distinguishability.MeanProfileCorrelation, 3)}</td></tr>"
                );
            _sb.Append("</tbody></table>");
            _sb.Append(
                b.Result.RunMoreDistinguishing
                    ? "<p class=\"good\">The run's questions distinguish the models better on both criteria.</p>"
                    : $"<p class=\"warn\">The run's questions do not beat the baseline on both criteria (lower profile correlation: {(b.Result.RunLessCorrelated ? "yes" : "no")}; higher within-model spread: {(b.Result.RunMoreSpread ? "yes" : "no")}).</p>"
            );
        }
        if (v.Priming is { Count: > 0 } priming)
        {
            _sb.Append("<h3>Value priming</h3>");
            _sb.Append(
                "<p>A target was told to hold one value at a time. If the scores measure values, the primed value must rise, its group neighbours rise, and the opposite group fall. Paired t-tests over the primed values; d is the mean change over the sd of the changes.</p>"
            );
            foreach (var p in priming)
            {
                _sb.Append(
                    $"<h4>{E(p.Model)} {(p.DirectionsAsPredicted ? "<span class=\"good\">directions as predicted</span>" : "<span class=\"warn\">not all directions as predicted</span>")}</h4>"
                );
                _sb.Append(
                    "<table><thead><tr><th>check</th><th>baseline</th><th>primed</th><th>change</th><th>t (df)</th><th>p</th><th>d</th></tr></thead><tbody>"
                );
                foreach (
                    var (name, t) in new[]
                    {
                        ("primed value ↑", p.Target),
                        ("same group ↑", p.SameGroup),
                        ("opposite group ↓", p.OppositeGroup),
                    }
                )
                    _sb.Append(
                        $"<tr><td>{name}</td><td>{F(t.MeanBefore)}</td><td>{F(t.MeanAfter)}</td><td>{(t.MeanDifference >= 0 ? "+" : "")}{F(t.MeanDifference)}</td><td>{F(t.T, 2)} ({t.Df})</td><td>{P(t.P)}</td><td>{F(t.CohensD, 2)}</td></tr>"
                    );
                _sb.Append(
                    "</tbody></table><details><summary>per primed value</summary><table><thead><tr><th>primed value</th><th>target</th><th>same group</th><th>opposite group</th></tr></thead><tbody>"
                );
                foreach (var row in p.Rows)
                    _sb.Append(
                        $"<tr><td>{E(input.Theory.Values.FirstOrDefault(x => x.Code == row.PrimedValue)?.Name ?? row.PrimedValue)}</td><td>{F(row.BaselineTarget)} → {F(row.PrimedTarget)}</td><td>{F(row.BaselineSameGroup)} → {F(row.PrimedSameGroup)}</td><td>{F(row.BaselineOppositeGroup)} → {F(row.PrimedOppositeGroup)}</td></tr>"
                    );
                _sb.Append("</tbody></table></details>");
            }
        }
        _sb.Append("</section>");
    }

    private void ProvenanceSection()
    {
        var p = input.Provenance;
        _sb.Append("<section id=\"provenance\"><h2>Provenance</h2><table class=\"stats\"><tbody>");
        Row(
            "run",
            p.RunCreatedAt is null
                ? $"<code>{E(input.Run)}</code>"
                : $"<code>{E(input.Run)}</code> · stage {E(p.RunStage)} · {E(p.RunStatus)}",
            p.RunCreatedAt is null ? "not found in the store" : $"started {E(p.RunCreatedAt)}, last update {E(p.RunUpdatedAt)}"
        );
        Row("config", p.ConfigPath is null ? "unknown" : $"<code>{E(p.ConfigPath)}</code>", "");
        var hashNote =
            p.RunConfigHash is null ? ""
            : p.RunConfigHash == p.ConfigHash ? "the run started with this same config"
            : $"the run started with a different config (hash {E(Short(p.RunConfigHash))}…): the file changed since";
        Row("config hash", p.ConfigHash is null ? "unknown" : $"<code>{E(p.ConfigHash)}</code>", hashNote);
        if (p.Bundle is { } b)
            Row(
                "benchmark release",
                $"<code>{E(b.Path)}</code>",
                $"{(b.Run is null ? "" : $"run {E(b.Run)}, ")}{(b.Created is null ? "" : $"exported {E(b.Created)}, ")}questions.jsonl SHA-256 <code>{E(b.Sha256)}</code> (checked when evaluated)"
            );
        Row("theory", $"{E(input.Theory.Name)} (<code>{E(input.Theory.Code)}</code>)", $"{input.Theory.Count} values");
        Row("judge", p.Judge is null ? "unknown" : $"{E(p.Judge)} ({E(p.JudgeMode ?? "?")})", "");
        Row(
            "seeds",
            $"generation {F0(p.GenerationSeed)} · evaluation {F0(p.EvaluationSeed)} · distance test {input.Seed}",
            p.SeedTopics is { } st ? $"{N(st)} seed topics in the store" : ""
        );
        Row("store", p.StorePath is null ? "none" : $"<code>{E(p.StorePath)}</code>", "");
        _sb.Append("</tbody></table>");

        if (p.Models.Count > 0)
        {
            _sb.Append("<h3>Models</h3><table><thead><tr><th>name</th><th>provider</th><th>model</th><th>role</th></tr></thead><tbody>");
            foreach (var m in p.Models)
                _sb.Append(
                    $"<tr><td>{E(m.Name)}</td><td>{E(m.Provider)}{(m.Simulated ? " <span class=\"tag\">synthetic</span>" : "")}</td><td>{E(m.Model ?? "")}</td><td>{E(string.Join(", ", m.Roles))}</td></tr>"
                );
            _sb.Append("</tbody></table>");
        }

        if (p.Instruments is { Count: > 0 } instruments)
        {
            _sb.Append(
                    "<h3>Instruments</h3><p class=\"note\">Every model identity (provider, endpoint without credentials, model id, sampling) "
                )
                .Append("and theory this run has measured with. A superseded row was replaced by an accepted change (--accept-changes); ")
                .Append("answers of a superseded target or judge are kept in the store but are not part of the scores.</p>");
            _sb.Append(
                "<table><thead><tr><th>role</th><th>name</th><th>identity</th><th>since</th><th>superseded</th></tr></thead><tbody>"
            );
            foreach (var i in instruments)
                _sb.Append(
                    $"<tr><td>{E(i.Role)}</td><td>{E(i.Name)}</td><td><code>{E(i.Identity)}</code></td><td>{E(i.Since)}</td><td>{E(i.SupersededAt ?? "")}</td></tr>"
                );
            _sb.Append("</tbody></table>");
        }

        _sb.Append("<h3>Calls, tokens and cost</h3>");
        if (p.Calls is null)
            _sb.Append("<p class=\"note\">Unknown: the store was not available.</p>");
        else if (p.Calls.Count == 0)
            _sb.Append("<p class=\"note\">The store holds no model calls for this run.</p>");
        else
        {
            _sb.Append(
                "<table><thead><tr><th>stage</th><th>model</th><th>calls</th><th>failed</th><th>tokens in</th><th>tokens out</th><th>cost (USD)</th></tr></thead><tbody>"
            );
            foreach (var c in p.Calls)
                _sb.Append(
                    $"<tr><td>{E(c.Stage)}</td><td>{E(c.Model)}</td><td>{N(c.Calls)}</td><td>{N(c.Failures)}</td><td>{N(c.InputTokens)}</td><td>{N(c.OutputTokens)}</td><td>{Cost(c.Cost, c.UnpricedCalls)}</td></tr>"
                );
            var unpriced = p.Calls.Sum(c => c.UnpricedCalls);
            var known = p.Calls.Where(c => c.Cost is not null).Sum(c => c.Cost!.Value);
            _sb.Append(
                $"<tr class=\"total\"><td>total</td><td></td><td>{N(p.Calls.Sum(c => c.Calls))}</td><td>{N(p.Calls.Sum(c => c.Failures))}</td><td>{N(p.Calls.Sum(c => c.InputTokens))}</td><td>{N(p.Calls.Sum(c => c.OutputTokens))}</td><td>{Cost(unpriced > 0 ? null : known, unpriced, known)}</td></tr>"
            );
            _sb.Append("</tbody></table>");
        }

        _sb.Append("<h3>Parse and judge failures</h3>");
        var fileFailures = answers?.Failed;
        if (p.Failures is null && fileFailures is null)
            _sb.Append("<p class=\"note\">Unknown: neither the store nor responses.jsonl was available.</p>");
        else
        {
            if (fileFailures is { } ff)
                _sb.Append(
                    $"<p>{N(ff)} of {N(answers!.Count)} responses in responses.jsonl are marked failed; they count as missing, never as \"expressed nothing\".</p>"
                );
            if (p.Failures is { Count: > 0 } rows)
            {
                _sb.Append(
                    "<table><thead><tr><th>model</th><th>purpose</th><th>parse failures</th><th>judge failures</th></tr></thead><tbody>"
                );
                foreach (var f in rows)
                    _sb.Append(
                        $"<tr><td>{E(f.Model)}</td><td>{E(f.Purpose)}</td><td>{N(f.ParseFailures)}</td><td>{N(f.JudgeFailures)}</td></tr>"
                    );
                _sb.Append("</tbody></table>");
            }
            else if (p.Failures is not null)
                _sb.Append("<p>The store records no parse or judge failures for this run.</p>");
        }
        _sb.Append("</section>");
    }

    /// <summary>
    /// When targets joined the run at different times (a model added to a finished evaluation), every target's
    /// scores moved at that point, because scores are relative to the pool; the report says so.
    /// </summary>
    internal static string? PoolChangeNote(IReadOnlyList<InstrumentRow>? instruments)
    {
        var targets = instruments?.Where(i => i.Role == "target" && i.SupersededAt is null).ToList();
        if (targets is null || targets.Select(t => t.Since).Distinct(StringComparer.Ordinal).Count() < 2)
            return null;
        var first = targets.Min(t => t.Since)!;
        var later = targets
            .Where(t => t.Since != first)
            .OrderBy(t => t.Since, StringComparer.Ordinal)
            .ThenBy(t => t.Name, StringComparer.Ordinal)
            .Select(t => $"{t.Name} (since {t.Since})");
        return $"The pool of targets changed during this run: {string.Join(", ", later)} joined after the first evaluation. "
            + "Scores are relative to the pool, so every target's scores moved when it changed, although no earlier answer was asked again; "
            + "numbers from before then are not comparable with these.";
    }

    private static string Short(string s) => s.Length > 12 ? s[..12] : s;

    private static string F0(long? v) => v is { } x ? x.ToString(System.Globalization.CultureInfo.InvariantCulture) : "unknown";

    /// <summary>Unknown prices stay unknown: never printed as 0.</summary>
    private static string Cost(double? cost, long unpriced, double knownPart = 0)
    {
        if (unpriced == 0 && cost is { } c)
            return F(c, 4);
        return knownPart > 0 ? $"≥ {F(knownPart, 4)} (+{N(unpriced)} unpriced calls)" : "unknown";
    }
}
