using Adaem.Core.Analysis.Validity;
using Adaem.Core.Configuration;
using Adaem.Core.Data;
using Adaem.Core.Errors;
using Adaem.Core.Evaluation;
using Adaem.Core.Theory;
using Adaem.RunFiles;

namespace Adaem.Pipeline.Validity;

/// <summary>
/// The `adaem validate` analyses over a run's output directory: read the run's files, run the analysis with
/// the given scoring (and responder, where models must answer), and record the result in validity.json.
/// Inputs are checked before anything is scored or asked, so bad input costs nothing.
/// </summary>
internal sealed class ValidityRunner(AdaemConfig config, string run, string directory, ValueTheory theory)
{
    public ValueTheory Theory { get; } = theory;

    public IReadOnlyList<JudgedResponse> ReadResponses()
    {
        var path = Path.Combine(directory, RunOutputs.Responses);
        if (!File.Exists(path))
            throw new InputException(
                path,
                null,
                "the run has no responses.jsonl",
                "run 'adaem evaluate' for this run first, or point --out to its directory"
            );
        var responses = RunOutputs.ReadResponses(path).Select(r => r.ToJudged()).ToList();
        if (responses.Count == 0)
            throw new InputException(path, null, "responses.jsonl is empty", "run 'adaem evaluate' for this run first");
        if (responses.Any(r => r.Language is not null))
            throw CrossLingualRuns.NotSupported(path, run, "the validity analyses");
        return responses;
    }

    public IReadOnlyList<Question> ReadRunQuestions()
    {
        var path = Path.Combine(directory, RunOutputs.Questions);
        if (!File.Exists(path))
            throw new InputException(
                path,
                null,
                "the run has no questions.jsonl",
                "run 'adaem generate' for this run first, or point --out to its directory"
            );
        return RunOutputs
            .ReadQuestions(path)
            .Select(q => new Question(q.Id, q.Question)
            {
                Argument = q.Argument,
                Seed = q.Seed,
                Category = q.Category,
            })
            .ToList();
    }

    /// <summary>A static baseline: any JSONL/CSV/TSV with a `question` field (ids default to b + line number).</summary>
    public static IReadOnlyList<Question> ReadBaselineItems(string path)
    {
        var rows = TabularFile.Read(path);
        var items = new List<Question>();
        foreach (var row in rows)
        {
            row.RequireText(path, "question", "id");
            var text = row.Get("question");
            if (string.IsNullOrWhiteSpace(text))
                throw new InputException(path, row.Line, "no 'question' field", "each item needs a non-empty 'question' column or key");
            items.Add(new Question(row.Get("id") is { Length: > 0 } id ? $"baseline:{id}" : $"baseline:b{row.Line}", text.Trim()));
        }
        if (items.Count < 2)
            throw new InputException(path, null, "a baseline needs at least two items", "add more items");
        return items;
    }

    public ReliabilityResult Reliability(IValueScoring scoring, string scoringName, int folds, long seed, CancellationToken ct)
    {
        var responses = ReadResponses();
        var ids = QuestionFolds.QuestionIds(responses);
        if (folds < 2 || folds > ids.Count)
            throw new InputException(
                "--folds",
                null,
                $"{folds} folds do not fit {ids.Count} questions",
                $"use between 2 and {ids.Count} folds"
            );
        var result = ReliabilityAnalysis.Run(responses, scoring, Theory, config.Evaluation, folds, seed, ct);
        ValidityFile.Update(directory, run, "reliability", v => v with { Reliability = result, Scoring = scoringName });
        return result;
    }

    public SubsetResult Subsets(
        IValueScoring scoring,
        string scoringName,
        IReadOnlyList<int> sizes,
        int repeats,
        long seed,
        CancellationToken ct
    )
    {
        var responses = ReadResponses();
        if (sizes.Count == 0 || sizes.Any(s => s < 2))
            throw new InputException("--sizes", null, "subset sizes must be at least 2", "e.g. --sizes 200 500 1000");
        if (repeats < 1)
            throw new InputException("--repeats", null, "at least one repeat is needed", "e.g. --repeats 5");
        var result = SubsetAnalysis.Run(responses, scoring, Theory, config.Evaluation, sizes, repeats, seed, ct);
        ValidityFile.Update(directory, run, "subsets", v => v with { Subsets = result, Scoring = scoringName });
        return result;
    }

    public async Task<BaselineResult> BaselineAsync(
        IValueScoring scoring,
        string scoringName,
        Func<IValidityResponder> responder,
        string itemsPath,
        CancellationToken ct
    )
    {
        var items = ReadBaselineItems(itemsPath);
        var responses = ReadResponses();
        var models = responses.Select(r => r.Model).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var baseline = await responder().AnswerAsync(run, items, models, ct);
        var result = BaselineAnalysis.Compare(responses, baseline, scoring, Theory, config.Evaluation, Path.GetFileName(itemsPath), ct);
        ValidityFile.Update(
            directory,
            run,
            "baseline",
            v => v with { Baseline = new BaselineSection(Path.GetFullPath(itemsPath), result), Scoring = scoringName }
        );
        return result;
    }

    /// <summary>Re-ranks the run's candidates under the other disentanglement sign and <paramref name="otherBeta"/>, from stored
    /// components; no model call.</summary>
    public ScoreSensitivityResult Score(double? otherBeta, int top)
    {
        if (!File.Exists(config.StorePath))
            throw new InputException(
                config.StorePath,
                null,
                "the store does not exist",
                "run 'adaem generate' for this run first (or check store: in the config)"
            );
        var store = Storage.AdaemStore.Open(config.StorePath);
        var candidates = Core
            .Generation.QuestionSelection.Rank(store.LoadQuestions(run))
            .Select(r => (r.Id, Final: Core.Generation.CandidateDetails.FromJson(r.ComponentsJson).Final))
            .Where(c => c.Final is not null)
            .Select(c => (c.Id, c.Final!))
            .ToList();
        if (candidates.Count < 2)
            throw new InputException(
                store.Path,
                null,
                $"run '{run}' has fewer than two questions with a final score",
                "run 'adaem generate' for this run first (or check --run)"
            );
        if (top < 1)
            throw new InputException("--top", null, "--top must be at least 1", "e.g. --top 100");
        var beta = candidates[0].Item2.Beta;
        var other = otherBeta ?? (beta > 0 ? beta * 2 : 1);
        if (other < 0 || !double.IsFinite(other))
            throw new InputException("--beta", null, "--beta must be a non-negative number", "e.g. --beta 2");
        var result = ScoreSensitivity.Run(candidates, other, top);
        ValidityFile.Update(directory, run, "score", v => v with { Score = result });
        return result;
    }

    public async Task<PrimingResult> PrimingAsync(
        IValueScoring scoring,
        string scoringName,
        Func<IValidityResponder> responder,
        string target,
        IReadOnlyList<string>? values,
        int? questionCount,
        long seed,
        CancellationToken ct
    )
    {
        var responses = ReadResponses();
        if (!responses.Any(r => r.Model == target))
        {
            var known = string.Join(", ", responses.Select(r => r.Model).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
            throw new InputException("--target", null, $"the run has no responses of '{target}'", $"use one of: {known}");
        }
        foreach (var v in values ?? [])
            if (Theory.IndexOf(v) < 0)
                throw new InputException(
                    "--values",
                    null,
                    $"'{v}' is not a value of {Theory.Code}",
                    $"use codes from: {string.Join(", ", Theory.Values.Select(x => x.Code))}"
                );
        var questions = ReadRunQuestions().ToDictionary(q => q.Id, StringComparer.Ordinal);
        var ids = QuestionFolds.QuestionIds(responses).Where(questions.ContainsKey).ToList();
        if (questionCount is { } n)
        {
            if (n < 2)
                throw new InputException("--questions", null, "at least two questions are needed", "e.g. --questions 200");
            ids = QuestionFolds.Sample(ids, Math.Min(n, ids.Count), seed).Order(StringComparer.Ordinal).ToList();
        }
        var asker = responder();
        var result = await PrimingExperiment.RunAsync(
            responses,
            target,
            (value, qids, token) =>
                asker.AnswerPrimedAsync(
                    run,
                    target,
                    value,
                    PrimingExperiment.SystemPrompt(Theory, value),
                    qids.Select(q => questions[q]).ToList(),
                    token
                ),
            scoring,
            Theory,
            config.Evaluation,
            values,
            ids,
            ct
        );
        ValidityFile.Update(
            directory,
            run,
            "priming",
            v => v with { Priming = [.. (v.Priming ?? []).Where(p => p.Model != target), result], Scoring = scoringName }
        );
        return result;
    }
}
