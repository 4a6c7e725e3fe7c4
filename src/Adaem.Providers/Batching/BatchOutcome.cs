using Adaem.Core.Models;
using Adaem.Providers.Engine;

namespace Adaem.Providers.Batching;

/// <summary>
/// What one request got from its batch: the provider's reply, or a failure. A failure is resubmittable when
/// asking again cannot pay twice (the request failed, expired, was cancelled or is missing); it is not when the
/// batch may still answer it (it could not be looked at), so the caller stops and a rerun waits for the batch.
/// A reply is resubmittable too: one that cannot be read (or holds no message) is asked again, as the direct
/// path asks again after an unusable reply.
/// </summary>
internal sealed record BatchOutcome(string? BatchId, string? Reply, CallFailure? Failure, bool Resubmittable)
{
    public static BatchOutcome Answered(string batchId, string reply) => new(batchId, reply, null, true);

    public static BatchOutcome Failed(string? batchId, CallFailure failure, bool resubmittable = true) =>
        new(batchId, null, failure, resubmittable);
}

/// <summary>The failures of requests that a batch did not answer, classified like the failures of direct calls.</summary>
internal static class BatchFailures
{
    public static CallFailure Expired { get; } =
        new(ModelCallFailure.Timeout, null, null, "the batch's 24 h window ran out before this request was answered");

    public static CallFailure Cancelled { get; } =
        new(ModelCallFailure.ServerError, null, null, "the batch was cancelled before this request was answered");

    public static CallFailure Missing { get; } =
        new(ModelCallFailure.ServerError, null, null, "the batch ended without an answer to this request");

    /// <summary>The failure of a request from its stored or reported result (not <see cref="BatchResults.Succeeded"/>).</summary>
    public static CallFailure Of(string? result, int? status, string? error, bool failFastOnQuota) =>
        result switch
        {
            BatchResults.Expired => Expired,
            BatchResults.Cancelled => Cancelled,
            BatchResults.Errored when status is { } s => CallFailure.FromStatus(
                s,
                error ?? "",
                null,
                error ?? $"HTTP {s}",
                failFastOnQuota
            ),
            BatchResults.Errored => new CallFailure(
                ModelCallFailure.ServerError,
                null,
                null,
                error ?? "the request failed inside the batch"
            ),
            _ => Missing,
        };

    /// <summary>The status an errored request's stored error text starts with ("HTTP 400: ..."), so a stored failure classifies as it
    /// did.</summary>
    public static string Describe(int? status, string? error) =>
        status is { } s ? $"HTTP {s.ToString(System.Globalization.CultureInfo.InvariantCulture)}: {error}" : error ?? "";
}
