namespace Adaem.Core.Models;

/// <summary>Why a model call failed, as the call engine classified it.</summary>
public enum ModelCallFailure
{
    /// <summary>HTTP 429 that is not a quota error: too many requests for now.</summary>
    RateLimited,

    /// <summary>HTTP 5xx, 408 or 409: the provider had a problem.</summary>
    ServerError,

    /// <summary>No reply within the model's timeout_s.</summary>
    Timeout,

    /// <summary>The provider could not be reached (refused, reset, DNS).</summary>
    Connection,

    /// <summary>The provider answered, but not with a usable chat reply (malformed JSON, no choices).</summary>
    InvalidReply,

    /// <summary>HTTP 4xx other than auth, quota and rate limits: the request itself is wrong; asking again will not help.</summary>
    Rejected,

    /// <summary>HTTP 401/403: the key is missing, wrong or not allowed to use the model.</summary>
    Unauthorized,

    /// <summary>HTTP 402, or a 429 that says the quota is exhausted: nothing will succeed until someone pays.</summary>
    Quota,

    /// <summary>Anything else.</summary>
    Unknown,
}

/// <summary>
/// A model call that did not produce a reply after the engine's retries. Its message never holds a
/// secret (the engine scrubs keys and auth headers first). Most failures concern one item and the
/// stage goes on with the others; <see cref="StopsRun"/> failures (quota, auth) affect every call
/// to the model, so a stage should stop and say how to resume.
/// </summary>
public sealed class ModelCallException(string model, ModelCallFailure failure, int attempts, int? status, string message)
    : Exception(message)
{
    /// <summary>Local name of the model in the config.</summary>
    public string Model { get; } = model;
    public ModelCallFailure Failure { get; } = failure;

    /// <summary>How many times the provider was asked.</summary>
    public int Attempts { get; } = attempts;

    /// <summary>The HTTP status of the last attempt, when there was one.</summary>
    public int? Status { get; } = status;
    public bool StopsRun => Failure is ModelCallFailure.Quota or ModelCallFailure.Unauthorized;
}
