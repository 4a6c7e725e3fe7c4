namespace Adaem.Core.Models;

/// <summary>
/// How much work a model accepts at once, as its config limits it: calls in flight, requests and tokens
/// per minute. The call engine offers it as a service of the model's chat client
/// (<c>client.GetService&lt;ModelCapacity&gt;()</c>), so the stages size their in-flight work from the
/// models' own limits instead of a constant.
/// </summary>
public sealed record ModelCapacity(int Concurrency, int? RequestsPerMinute = null, int? TokensPerMinute = null)
{
    /// <summary>
    /// The model's calls go through its provider's batch API: <see cref="Concurrency"/> is then the size of a
    /// batch, and a stage should keep that many calls waiting so they travel together.
    /// </summary>
    public bool Batched { get; init; }
}
