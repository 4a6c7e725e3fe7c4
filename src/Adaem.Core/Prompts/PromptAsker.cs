using Microsoft.Extensions.AI;

namespace Adaem.Core.Prompts;

/// <summary>The outcome of asking one model one prompt: a parsed value, or why there is none.</summary>
public sealed record Asked<T>(T? Value, string? Failure, int Attempts, string? LastReply) where T : class
{
    public bool Ok => Value is not null;
}

/// <summary>
/// Asks a model and parses the reply; an unparseable reply is asked again with the next sample index
/// (a new cache key, so the call engine does not serve the same bad answer back), a bounded number of
/// times, after which the failure is returned for the caller to record. Errors of the call itself
/// propagate: the call engine has already retried them, and one that survives its retries (quota,
/// outage) should stop the run, which resumes where it stopped, instead of turning every later
/// candidate into a recorded failure.
/// </summary>
public static class PromptAsker
{
    public const int DefaultAttempts = 3;

    /// <param name="sampleBase">First sample index; attempt a uses sampleBase + a. Callers space their bases by at least <paramref name="attempts"/>.</param>
    public static async Task<Asked<T>> AskAsync<T>(
        IChatClient client, PromptRequest prompt, Func<string, T?> parse, string run, string stage, int sampleBase,
        CancellationToken cancellationToken, int attempts = DefaultAttempts) where T : class
    {
        string? last = null;
        string? failure = null;
        for (var a = 0; a < attempts; a++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var response = await client.GetResponseAsync(prompt.Messages, prompt.Options(run, stage, sampleBase + a), cancellationToken).ConfigureAwait(false);
            last = response.Text;
            var value = parse(last ?? "");
            if (value is not null) return new Asked<T>(value, null, a + 1, last);
            failure = $"unparseable {prompt.Role} reply after {a + 1} attempt(s)";
        }
        return new Asked<T>(null, failure, attempts, last);
    }
}
