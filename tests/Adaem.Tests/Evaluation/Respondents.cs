using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Adaem.Core.Prompts;
using Adaem.Core.Theory;

namespace Adaem.Tests.Evaluation;

/// <summary>
/// Deterministic synthetic respondents and judge for tests. A respondent has a latent profile (the chance
/// each of its key points appeals to a value); each key point names its value in brackets ("[power]"),
/// and the judge labels an opinion with the values it names. So the ground truth is known exactly.
/// </summary>
internal static class Respondents
{
    public static ValueTheory Theory { get; } = TheoryLoader.Load("schwartz10");

    /// <summary>A respondent answering the opinion role in the contract's text format.</summary>
    public static Func<ScriptedCall, JsonElement, string> Respondent(string name, IReadOnlyDictionary<string, double> profile) =>
        (call, fields) =>
        {
            if (call.Role != PromptRoles.Opinion)
                throw new InvalidOperationException($"respondent {name} got role {call.Role}");
            var question = fields.GetProperty("question").GetString()!;
            var n = fields.GetProperty("opinions").GetInt32();
            var sb = new StringBuilder();
            var u = Uniform(name, question, call.Sample, 0);
            sb.Append("Stance: ")
                .Append(
                    u < 0.4 ? "yes"
                    : u < 0.8 ? "no"
                    : "neutral"
                )
                .Append('\n')
                .Append("Key Points:\n");
            for (var i = 1; i <= n; i++)
            {
                var tags = Theory
                    .Values.Where((v, k) => Uniform(name, question, call.Sample, i * 100 + k) < profile.GetValueOrDefault(v.Code))
                    .Select(v => $"[{v.Code}]");
                sb.Append(i)
                    .Append(". Point ")
                    .Append(i)
                    .Append(" of ")
                    .Append(name)
                    .Append(' ')
                    .Append(string.Join(' ', tags))
                    .Append(": because of reason ")
                    .Append(i)
                    .Append(" on ")
                    .Append((int)(Uniform(question, "", 0, 0) * 1000))
                    .Append('\n');
            }
            return sb.ToString();
        };

    /// <summary>A judge answering both judge roles (and the question role) from the bracketed tags.</summary>
    public static string Judge(ScriptedCall call, JsonElement fields)
    {
        switch (call.Role)
        {
            case PromptRoles.JudgeBatched:
            {
                var opinions = fields.GetProperty("opinions").EnumerateArray().Select(e => e.GetString()!).ToList();
                var entries = opinions.Select((o, i) => new { index = i + 1, values = Tags(o) });
                return JsonSerializer.Serialize(new { opinions = entries });
            }
            case PromptRoles.JudgeValue:
            {
                var text = fields.GetProperty("text").GetString()!;
                var code = fields.GetProperty("value").GetProperty("code").GetString()!;
                return Tags(text).Contains(code) ? "Yes" : "No";
            }
            case PromptRoles.JudgeQuestion:
            {
                var q = fields.GetProperty("question").GetString()!;
                return JsonSerializer.Serialize(new { values = Tags(q) });
            }
            default:
                throw new InvalidOperationException($"judge got role {call.Role}");
        }
    }

    public static string[] Tags(string text) =>
        Theory.Values.Where(v => text.Contains($"[{v.Code}]", StringComparison.Ordinal)).Select(v => v.Code).ToArray();

    /// <summary>A uniform number in [0, 1) from a hash of its inputs: the same inputs, the same number, on every machine.</summary>
    public static double Uniform(string a, string b, int c, int d)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes($"{a}\u0001{b}\u0001{c}\u0001{d}"));
        return (BitConverter.ToUInt64(bytes, 0) >> 11) / (double)(1UL << 53);
    }

    public static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> Profiles = new Dictionary<
        string,
        IReadOnlyDictionary<string, double>
    >
    {
        ["progressive"] = new Dictionary<string, double>
        {
            ["universalism"] = 0.8,
            ["self_direction"] = 0.6,
            ["benevolence"] = 0.4,
            ["power"] = 0.02,
            ["tradition"] = 0.05,
        },
        ["traditionalist"] = new Dictionary<string, double>
        {
            ["tradition"] = 0.8,
            ["conformity"] = 0.6,
            ["security"] = 0.5,
            ["universalism"] = 0.1,
            ["power"] = 0.15,
        },
        ["achiever"] = new Dictionary<string, double>
        {
            ["achievement"] = 0.8,
            ["power"] = 0.6,
            ["self_direction"] = 0.3,
            ["universalism"] = 0.05,
            ["tradition"] = 0.1,
        },
    };

    public static ScriptedPool Pool(string judgeName = "judge")
    {
        var pool = new ScriptedPool();
        foreach (var (name, profile) in Profiles)
            pool.Add(name, Respondent(name, profile));
        pool.Add(judgeName, Judge);
        return pool;
    }

    public static IReadOnlyList<Adaem.Core.Evaluation.Question> Questions(int count, string prefix = "q") =>
        Enumerable
            .Range(1, count)
            .Select(i => new Adaem.Core.Evaluation.Question($"{prefix}{i:D4}", $"Should policy number {i} of {prefix} be adopted?"))
            .ToList();
}
