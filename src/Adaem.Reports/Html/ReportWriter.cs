using System.Text.RegularExpressions;
using Adaem.Core.Analysis;
using Adaem.Reports.Charts;
using Adaem.Reports.Sections;
using Adaem.RunFiles;

namespace Adaem.Reports.Html;

/// <summary>The files a report wrote.</summary>
public sealed record ReportOutput(string Html, string RadarPng, string RadarSvg);

/// <summary>
/// Builds a run's report: computes what the sections need from the run's files, draws the charts and
/// writes report.html (self-contained: inline CSS and SVG, no external request) with radar.png and
/// radar.svg beside it.
/// </summary>
public static partial class ReportWriter
{
    public static ReportOutput Write(
        ReportInput input,
        string outDirectory,
        double confidence = 0.95,
        CancellationToken cancellationToken = default
    )
    {
        Directory.CreateDirectory(outDirectory);
        // A cross-lingual evaluation: the main sections show each (model, language) as the player it was scored as.
        var languageScores = input.Scores.Any(s => s.Language is not null) ? input.Scores : null;
        if (languageScores is not null)
            input = AsPlayers(input);
        var theory = input.Theory;
        var models = input.Scores.Select(s => s.Model).Distinct(StringComparer.Ordinal).ToList();
        var profiles = ValueProfiles.From(input.Scores, theory, models);

        // The answers stream through once: the report keeps per player and question the values expressed, not the texts.
        var answers = input.ResponsesPath is null
            ? null
            : ResponseSummary.Read(input.ResponsesPath, theory, asPlayers: languageScores is not null, cancellationToken);
        var distances = ModelDistances.Compute(
            profiles,
            answers?.Expressed,
            input.Permutations,
            input.Seed,
            cancellationToken: cancellationToken
        );
        var separating = answers is null
            ? null
            : SeparatingQuestions.Find(theory, profiles, answers, input.Questions, input.SeparatingPerValue);
        var statistics = input.Questions is null
            ? null
            : TextStatistics.Compute(
                input.Questions.Select(q => q.Question).ToList(),
                input.Questions.Select(q => q.Category).ToList(),
                cancellationToken
            );

        var labels = theory.Values.Select(v => v.Abbreviation).ToList();
        var radarSvg = RadarChart.Write(outDirectory, labels, models, profiles.Scores);
        var across = languageScores is null ? null : AcrossLanguages.Render(theory, languageScores, input.Shifts ?? [], confidence);
        var page = new HtmlReport(
            input,
            profiles,
            answers,
            distances,
            separating,
            statistics,
            InlineSvg(radarSvg, "radar-chart"),
            HeatmapSvg.Render(theory, profiles, input.Scores, confidence),
            DistanceMatrixSvg.Render(distances),
            confidence
        )
        {
            AcrossLanguages = across,
        }.Render();
        var html = Path.Combine(outDirectory, "report.html");
        AtomicFile.WriteText(html, page);
        return new ReportOutput(html, Path.Combine(outDirectory, "radar.png"), Path.Combine(outDirectory, "radar.svg"));
    }

    /// <summary>The name a (model, language) player has in the report's main sections.</summary>
    internal static string Player(string model, string? language) => language is null ? model : $"{model}@{language}";

    /// <summary>The input with every score under its player's name (model@language), and the players' models (answers are renamed as they
    /// are read).</summary>
    private static ReportInput AsPlayers(ReportInput input)
    {
        var players = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var s in input.Scores)
            players[Player(s.Model, s.Language)] = s.Model;
        return input with
        {
            Scores = input.Scores.Select(s => s with { Model = Player(s.Model, s.Language) }).ToList(),
            PlayerModels = players,
        };
    }

    /// <summary>Makes a standalone SVG document embeddable: drops the XML prolog and gives the root an id and class.</summary>
    internal static string InlineSvg(string svg, string id)
    {
        var body = Prolog().Replace(svg, "").Trim();
        return SvgOpen().Replace(body, $"<svg id=\"{id}\" class=\"chart\" ", 1);
    }

    [GeneratedRegex(@"<\?xml[^>]*\?>|<!DOCTYPE[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex Prolog();

    [GeneratedRegex(@"<svg\s")]
    private static partial Regex SvgOpen();
}
