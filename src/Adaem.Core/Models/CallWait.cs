namespace Adaem.Core.Models;

/// <summary>
/// The call engine is holding a model's call before trying it again: the server asked it to wait
/// (Retry-After), or it backs off after a failure that may pass.
/// </summary>
/// <param name="Model">Local name of the model.</param>
/// <param name="Delay">How long the call waits before its next attempt.</param>
/// <param name="ServerAsked">The wait is the server's own Retry-After, not adaem's backoff.</param>
/// <param name="Reason">What failed, in a few words ("rate limited (HTTP 429)", "server error (HTTP 503)").</param>
/// <param name="Attempt">The attempt that failed (1 = the first).</param>
public sealed record CallWait(string Model, TimeSpan Delay, bool ServerAsked, string Reason, int Attempt);

/// <summary>Where the call engine reports its waits, so a progress display can say why nothing moves.</summary>
public interface ICallWaitSink
{
    /// <summary>Called as a wait begins; must return quickly and never throw.</summary>
    void Waiting(CallWait wait);
}
