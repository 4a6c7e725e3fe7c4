using Adaem.Core.Prompts;
using Microsoft.Extensions.AI;

namespace Adaem.Core.Generation;

/// <summary>
/// Rephrases seeds whose question was made by the deterministic rule (Touché23 conclusions) with a model,
/// as the paper did with a few-shot conversion prompt. A reply that does not parse keeps the rule's question.
/// </summary>
internal sealed class SeedConverter(IChatClient client, string run, string stage)
{
    public async Task<Seed> ConvertAsync(Seed seed, CancellationToken cancellationToken)
    {
        if (!seed.QuestionByRule || seed.Argument is null)
            return seed;
        var asked = await StructuredReply
            .AskAsync(client, SeedConvertPrompt.Create(seed.Argument), new CallSite(run, stage), cancellationToken)
            .ConfigureAwait(false);
        return asked.Ok ? seed with { Question = asked.Value!, QuestionByRule = false } : seed;
    }
}
