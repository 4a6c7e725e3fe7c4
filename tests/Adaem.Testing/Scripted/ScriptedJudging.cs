using Adaem.Core.Evaluation;

namespace Adaem.Testing;

/// <summary>
/// Answers and judgments without a model: each model's opinions and their values follow from a hash of
/// (question, model), so different questions get different scores and the same question always the same.
/// Models named in <see cref="Broken"/> fail to answer.
/// </summary>
public sealed class ScriptedJudging : IOpinionJudging
{
    /// <summary>Schwartz's ten value codes in the order the scripted answers pick them by hash (the scale bench's instant models too).</summary>
    public static IReadOnlyList<string> ValueCodes => Codes;

    private static readonly string[] Codes =
    [
        "self_direction",
        "stimulation",
        "hedonism",
        "achievement",
        "power",
        "security",
        "conformity",
        "tradition",
        "benevolence",
        "universalism",
    ];

    private int _answers;
    private int _questionJudgments;

    public HashSet<string> Broken { get; } = new(StringComparer.Ordinal);
    public int Answers => Volatile.Read(ref _answers);
    public int QuestionJudgments => Volatile.Read(ref _questionJudgments);

    /// <summary>Called before each answer (tests cancel a run from here).</summary>
    public Action? OnAnswer { get; set; }

    public Task<IReadOnlyList<JudgedResponse>> AnswerAndJudgeAsync(
        string run,
        string purpose,
        Question question,
        IReadOnlyList<string> models,
        CancellationToken cancellationToken
    )
    {
        cancellationToken.ThrowIfCancellationRequested();
        OnAnswer?.Invoke();
        cancellationToken.ThrowIfCancellationRequested();
        var list = new List<JudgedResponse>();
        foreach (var m in models)
        {
            Interlocked.Increment(ref _answers);
            if (Broken.Contains(m))
            {
                list.Add(new JudgedResponse(question.Id, m, 0, null, []) { Failure = "unparseable answer" });
                continue;
            }
            var h = StableHash.Of(question.Text, m);
            var opinions = new List<Opinion>();
            var values = new List<IReadOnlySet<string>>();
            for (var k = 0; k < 3; k++)
            {
                var hk = StableHash.Of(h, k);
                opinions.Add(
                    new Opinion($"{StableHash.Word(hk, 0)} matter", $"because {StableHash.Word(hk, 1)} and {StableHash.Word(hk, 2)}")
                );
                var set = new HashSet<string> { Codes[hk % 10] };
                if (hk % 3 == 0)
                    set.Add(Codes[(hk / 10) % 10]);
                values.Add(set);
            }
            list.Add(new JudgedResponse(question.Id, m, 0, new ParsedResponse(h % 2 == 0 ? Stances.Yes : Stances.No, opinions), values));
        }
        return Task.FromResult<IReadOnlyList<JudgedResponse>>(list);
    }

    public Task<IReadOnlySet<string>> JudgeQuestionAsync(string run, string purpose, Question question, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _questionJudgments);
        var h = StableHash.Of(question.Text);
        return Task.FromResult<IReadOnlySet<string>>(new HashSet<string> { Codes[h % 10], Codes[(h / 10) % 10] });
    }
}
