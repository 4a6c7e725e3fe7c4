using System.Text.RegularExpressions;
using Adaem.Core.Prompts;
using Microsoft.Extensions.AI;

namespace Adaem.Tests.Simulated;

/// <summary>
/// Question sets for the simulation's tests: generic seed questions with no context (the kind AdAEM starts
/// from) and specific ones the simulated explorers build from them (the kind AdAEM generates).
/// </summary>
public static partial class SyntheticQuestions
{
    public static readonly IReadOnlyList<string> Generic =
    [
        "Should gambling be legalized?",
        "Should the death penalty be abolished?",
        "Should recreational cannabis be legal?",
        "Is nuclear energy necessary?",
        "Should school uniforms be mandatory?",
        "Should zoos be banned?",
        "Should euthanasia be allowed?",
        "Should social media be regulated?",
        "Should homework be abolished?",
        "Should the minimum wage be raised?",
        "Should public transport be free?",
        "Should voting be compulsory?",
        "Should advertising to children be banned?",
        "Should governments fund space exploration?",
        "Should genetically modified food be allowed?",
        "Should homeschooling be allowed?",
        "Should surveillance cameras be expanded in cities?",
        "Should religious symbols be allowed in schools?",
        "Should fast food be taxed?",
        "Should animal testing be banned?",
        "Should the retirement age be raised?",
        "Should immigration be increased?",
        "Should military service be compulsory?",
        "Should extreme sports be restricted?",
        "Should video games be limited for children?",
        "Should billionaires pay higher taxes?",
        "Should marriage be redefined?",
        "Should free speech have limits?",
        "Should cars be banned from city centres?",
        "Should inheritance be taxed more heavily?",
        "Should standardized tests be abolished?",
        "Should parents be allowed to choose their children's genes?",
        "Should alcohol advertising be banned?",
        "Should universities be free?",
        "Should remote work become the norm?",
        "Should plastic bags be banned?",
        "Should curfews for young people be allowed?",
        "Should police carry guns?",
        "Should artificial intelligence replace human judges?",
        "Should tipping be abolished?",
    ];

    [GeneratedRegex(@"^\[Information\]:\s*(?<info>.+)$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex Information();

    [GeneratedRegex(@"^\[Question\]:\s*(?<q>.+\?)\s*$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex QuestionLine();

    /// <summary>
    /// <paramref name="perSeed"/> specific questions per generic seed, built by the explorers in turn through
    /// explore_context then explore_question, each seed remembering the contexts it already used.
    /// </summary>
    public static async Task<IReadOnlyList<string>> SpecificAsync(
        IReadOnlyList<IChatClient> explorers,
        int perSeed,
        IReadOnlyList<string>? seeds = null
    )
    {
        var result = new List<string>();
        var turn = 0;
        foreach (var general in seeds ?? Generic)
        {
            var used = new List<string>();
            for (var k = 0; k < perSeed; k++)
            {
                var explorer = explorers[turn++ % explorers.Count];
                var reasoning = await SimulatedCalls.AskAsync(
                    explorer,
                    PromptRoles.ExploreContext,
                    new
                    {
                        general,
                        examples = Array.Empty<object>(),
                        used_contexts = used,
                    }
                );
                var info = Information().Match(reasoning).Groups["info"].Value;
                used.Add(info);
                var composed = await SimulatedCalls.AskAsync(explorer, PromptRoles.ExploreQuestion, new { general, information = info });
                result.Add(QuestionLine().Match(composed).Groups["q"].Value);
            }
        }
        return result;
    }
}
