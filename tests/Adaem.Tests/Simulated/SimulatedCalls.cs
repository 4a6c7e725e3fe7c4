using System.Text.Json;
using System.Text.RegularExpressions;
using Adaem.Core.Configuration;
using Adaem.Core.Models;
using Adaem.Core.Prompts;
using Adaem.Core.Theory;
using Adaem.Providers.Simulated;
using Microsoft.Extensions.AI;
using Xunit;

namespace Adaem.Tests.Simulated;

/// <summary>
/// Calls simulated models the way the pipeline does (a CallContext with the role's fields) and reads the
/// replies with small parsers that mirror the reply formats of PromptRoles.
/// </summary>
public static partial class SimulatedCalls
{
    public static SimulatedChatClient Client(
        string name,
        IReadOnlyDictionary<string, double>? profile,
        ValueTheory theory,
        long seed = 1,
        double? noise = null
    ) =>
        new(
            new ModelConfig
            {
                Name = name,
                Provider = ProviderKinds.Simulated,
                Profile = profile,
                Seed = seed,
                Noise = noise,
            },
            theory
        );

    public static async Task<string> AskAsync(IChatClient client, string role, object fields, int sample = 0, string? system = null)
    {
        var json = JsonSerializer.SerializeToElement(fields);
        var options = new CallContext("test", "test", role, "v1", sample) { Fields = json }.Apply();
        List<ChatMessage> messages = [];
        if (system is not null)
            messages.Add(new ChatMessage(ChatRole.System, system));
        messages.Add(new ChatMessage(ChatRole.User, "(the rendered prompt; the simulated pool answers from the fields)"));
        var response = await client.GetResponseAsync(messages, options, TestContext.Current.CancellationToken);
        return response.Text;
    }

    public static object ValuesField(ValueTheory theory) =>
        theory
            .Values.Select(v => new
            {
                code = v.Code,
                name = v.Name,
                definition = v.Definition,
            })
            .ToArray();

    [GeneratedRegex(@"^Stance:\s*(yes|no|neutral)\s*\nKey Points:\s*\n((?:\d+\.\s+[^:\n]+:\s*[^\n]+\n?)+)$", RegexOptions.CultureInvariant)]
    public static partial Regex OpinionFormat();

    [GeneratedRegex(@"^\d+\.\s+(?<point>[^:\n]+):\s*(?<just>[^\n]+)$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex KeyPoint();

    /// <summary>The "point: justification" strings of an opinion reply, as the opinion parser would give them.</summary>
    public static IReadOnlyList<string> Opinions(string reply)
    {
        Assert.Matches(OpinionFormat(), reply);
        return KeyPoint().Matches(reply).Select(m => $"{m.Groups["point"].Value.Trim()}: {m.Groups["just"].Value.Trim()}").ToList();
    }

    public static string Stance(string reply) => Regex.Match(reply, @"^Stance:\s*(\w+)").Groups[1].Value;

    /// <summary>A model's answer to a question and the values the judge finds in it (OR over its opinions).</summary>
    public static async Task<IReadOnlySet<string>> AnswerAndJudgeAsync(
        IChatClient respondent,
        IChatClient judge,
        ValueTheory theory,
        string question,
        int opinions = 3,
        int sample = 0,
        string? system = null
    )
    {
        var reply = await AskAsync(respondent, PromptRoles.Opinion, new { question, opinions }, sample, system);
        var points = Opinions(reply);
        var verdict = await AskAsync(judge, PromptRoles.JudgeBatched, new { opinions = points, values = ValuesField(theory) }, sample);
        using var doc = JsonDocument.Parse(verdict);
        return doc
            .RootElement.GetProperty("opinions")
            .EnumerateArray()
            .SelectMany(o => o.GetProperty("values").EnumerateArray().Select(v => v.GetString()!))
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The share of questions on which each value was expressed, in theory order.</summary>
    public static async Task<double[]> ExpressionRatesAsync(
        IChatClient respondent,
        IChatClient judge,
        ValueTheory theory,
        IReadOnlyList<string> questions,
        string? system = null
    )
    {
        var counts = new double[theory.Count];
        foreach (var q in questions)
        {
            foreach (var code in await AnswerAndJudgeAsync(respondent, judge, theory, q, system: system))
            {
                var i = theory.IndexOf(code);
                if (i >= 0)
                    counts[i]++;
            }
        }
        return counts.Select(c => c / questions.Count).ToArray();
    }
}
