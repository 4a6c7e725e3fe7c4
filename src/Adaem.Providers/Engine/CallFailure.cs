using System.ClientModel;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Adaem.Core.Models;
using Anthropic.Exceptions;

namespace Adaem.Providers.Engine;

/// <summary>One failed attempt, classified: what kind of failure, the HTTP status, and how long the server asked us to wait.</summary>
internal sealed record CallFailure(ModelCallFailure Kind, int? Status, TimeSpan? RetryAfter, string Message)
{
    /// <summary>
    /// Key in <see cref="Exception.Data"/> of a server's Retry-After (a TimeSpan), for SDKs whose
    /// exceptions do not keep response headers (Anthropic, OllamaSharp); set by the provider layer.
    /// </summary>
    public const string RetryAfterData = "adaem.retry_after";

    public bool Retryable =>
        Kind
            is ModelCallFailure.RateLimited
                or ModelCallFailure.ServerError
                or ModelCallFailure.Timeout
                or ModelCallFailure.Connection
                or ModelCallFailure.InvalidReply;

    /// <summary>The text the ledger keeps: kind, status and the (already scrubbed) message.</summary>
    public string Describe() =>
        Status is { } s and > 0 ? $"{Kind} (HTTP {s.ToString(CultureInfo.InvariantCulture)}): {Message}" : $"{Kind}: {Message}";

    /// <summary>
    /// Classifies what a provider SDK threw. Each SDK has its own exception types (OpenAI's
    /// ClientResultException, Anthropic's AnthropicApiException, OllamaSharp's HttpRequestException);
    /// they all come down to an HTTP status, a body, perhaps a Retry-After, or no answer at all.
    /// </summary>
    /// <param name="timedOut">The engine's own per-attempt timeout fired.</param>
    /// <param name="failFastOnQuota">When false, quota errors are retried like rate limits.</param>
    public static CallFailure Classify(Exception e, bool timedOut, bool failFastOnQuota, SecretScrubber scrubber)
    {
        var message = scrubber.Scrub(Flatten(e));
        if (timedOut)
            return new CallFailure(ModelCallFailure.Timeout, null, null, "no reply within the timeout (timeout_s)");
        switch (e)
        {
            case ModelCallException known:
                return new CallFailure(known.Failure, known.Status, null, message);
            case ClientResultException { Status: > 0 } cre:
            {
                var raw = cre.GetRawResponse();
                string? body = null;
                TimeSpan? retryAfter = null;
                if (raw is not null)
                {
                    body = TryBody(() => raw.Content.ToString());
                    retryAfter = ParseRetryAfter(name => raw.Headers.TryGetValue(name, out var v) ? v : null);
                }
                return FromStatus(cre.Status, body ?? message, retryAfter, message, failFastOnQuota);
            }
            case AnthropicApiException api:
                return FromStatus(
                    (int)api.StatusCode,
                    TryBody(() => api.ResponseBody) ?? message,
                    HintedRetryAfter(api),
                    message,
                    failFastOnQuota
                );
            case EmptyReplyException:
                return new CallFailure(ModelCallFailure.InvalidReply, null, null, message);
        }
        // Wrapped causes: look down the chain for the first thing we recognise.
        for (var x = e; x is not null; x = x.InnerException)
        {
            switch (x)
            {
                case HttpRequestException { StatusCode: { } code }:
                    return FromStatus((int)code, message, HintedRetryAfter(e), message, failFastOnQuota);
                case HttpRequestException or System.Net.Sockets.SocketException or System.IO.IOException or AnthropicIOException:
                    return new CallFailure(ModelCallFailure.Connection, null, null, message);
                case TimeoutException or OperationCanceledException:
                    // Not the caller's cancellation (the engine checks that first): an SDK-side timeout.
                    return new CallFailure(ModelCallFailure.Timeout, null, null, message);
                case JsonException or FormatException or AnthropicInvalidDataException or InvalidDataException:
                    return new CallFailure(ModelCallFailure.InvalidReply, null, null, message);
            }
        }
        // Provider adapters that meet a reply without choices or content fail with these while reading it.
        if (
            e
            is InvalidOperationException
                or ArgumentOutOfRangeException
                or IndexOutOfRangeException
                or KeyNotFoundException
                or NullReferenceException
        )
            return new CallFailure(ModelCallFailure.InvalidReply, null, null, message);
        return new CallFailure(ModelCallFailure.Unknown, null, null, message);
    }

    internal static CallFailure FromStatus(int status, string body, TimeSpan? retryAfter, string message, bool failFastOnQuota)
    {
        var quota = status == 402 || (status == 429 && body.Contains("insufficient_quota", StringComparison.OrdinalIgnoreCase));
        var kind = status switch
        {
            _ when quota => failFastOnQuota ? ModelCallFailure.Quota : ModelCallFailure.RateLimited,
            429 => ModelCallFailure.RateLimited,
            401 or 403 => ModelCallFailure.Unauthorized,
            408 or 409 or >= 500 => ModelCallFailure.ServerError,
            _ => ModelCallFailure.Rejected,
        };
        return new CallFailure(kind, status, retryAfter, message);
    }

    /// <summary>Reads retry-after-ms (OpenAI) or Retry-After (seconds or an HTTP date).</summary>
    internal static TimeSpan? ParseRetryAfter(Func<string, string?> header)
    {
        if (
            header("retry-after-ms") is { } ms
            && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var msv)
            && msv >= 0
        )
            return TimeSpan.FromMilliseconds(msv);
        if (header("Retry-After") is not { } ra)
            return null;
        if (double.TryParse(ra, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
            return TimeSpan.FromSeconds(seconds);
        if (RetryConditionHeaderValue.TryParse(ra, out var parsed) && parsed.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }

    /// <summary>The Retry-After the provider layer attached to the exception or one of its causes.</summary>
    private static TimeSpan? HintedRetryAfter(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (x.Data[RetryAfterData] is TimeSpan wait)
                return wait;
        }
        return null;
    }

    private static string? TryBody(Func<string?> read)
    {
        try
        {
            return read();
        }
        catch (InvalidOperationException)
        {
            return null; // a streamed body that was not buffered
        }
    }

    /// <summary>The messages of an exception and its causes, on one line.</summary>
    private static string Flatten(Exception e)
    {
        var parts = new List<string>();
        for (var x = e; x is not null && parts.Count < 4; x = x.InnerException)
        {
            var m = x.Message.ReplaceLineEndings(" ").Trim();
            if (m.Length > 0 && !parts.Contains(m))
                parts.Add(m);
        }
        var text = string.Join(" <- ", parts);
        return text.Length > 2000 ? text[..2000] + "..." : text;
    }
}

/// <summary>The provider answered without any message: no choices, or a choice without content.</summary>
internal sealed class EmptyReplyException(string message) : Exception(message);
