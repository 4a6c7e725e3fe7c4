namespace Adaem.Core.Models;

/// <summary>One provider batch job as the store keeps it: who runs it, its state at the last look, and its counts.</summary>
public sealed record StoredBatch
{
    /// <summary>The provider's id of the batch (not a secret: it is useless without the key).</summary>
    public required string Id { get; init; }

    /// <summary>The local name of the model in the config.</summary>
    public required string Model { get; init; }
    public required string Provider { get; init; }

    /// <summary>The endpoint without credentials.</summary>
    public required string Endpoint { get; init; }

    /// <summary>The provider's own word for its state at the last look (validating, in_progress, ended, ...).</summary>
    public required string State { get; init; }
    public int Requests { get; init; }
    public int Succeeded { get; init; }
    public int Failed { get; init; }
    public string CreatedAt { get; init; } = "";
    public string UpdatedAt { get; init; } = "";

    /// <summary>When its results were read and every request's outcome stored; null while the batch is in flight.</summary>
    public string? CollectedAt { get; init; }
}

/// <summary>What became of one request of a batch (the values of batch_requests.result).</summary>
public static class BatchResults
{
    public const string Succeeded = "succeeded";

    /// <summary>The provider answered this request with an error.</summary>
    public const string Errored = "errored";

    /// <summary>The batch's window ran out before this request was answered.</summary>
    public const string Expired = "expired";
    public const string Cancelled = "cancelled";

    /// <summary>The batch ended without a line for this request, or the provider no longer knows the batch.</summary>
    public const string Missing = "missing";
}

/// <summary>The outcome of one request (by its call key) when its batch's results are read.</summary>
/// <param name="ResultJson">The provider's reply to the request, kept until the ledger has the answer.</param>
public sealed record BatchRequestOutcome(string Key, string Result, string? Error = null, string? ResultJson = null);

/// <summary>Where a call stands in the batches of one endpoint: the batch that holds it, whether its results are in, and its
/// outcome.</summary>
public sealed record BatchMembership(string BatchId, bool Collected, string? Result, string? Error, string? ResultJson);

/// <summary>
/// The batches a model's calls travel in, kept in the store so that a process that was killed finds the batch
/// it submitted and waits for it again instead of submitting (and paying for) the same requests twice.
/// Nothing secret is stored: batch ids, states, counts, call keys and the providers' replies.
/// </summary>
public interface IBatchStore
{
    /// <summary>Records a batch the provider has accepted, with the call keys (custom ids) of its requests.</summary>
    void AddBatch(StoredBatch batch, IReadOnlyCollection<string> keys);

    /// <summary>The state and counts of a batch at the latest look.</summary>
    void UpdateBatch(string id, string state, int requests, int succeeded, int failed);

    /// <summary>Stores the outcome of every request of an ended batch and marks it collected, in one transaction.</summary>
    void CollectBatch(string id, string state, IReadOnlyCollection<BatchRequestOutcome> outcomes);

    /// <summary>
    /// The batch of <paramref name="provider"/> at <paramref name="endpoint"/> that holds <paramref name="key"/>:
    /// one still in flight first, else one whose stored reply can answer it, else the latest; null when none does.
    /// </summary>
    BatchMembership? FindBatchRequest(string provider, string endpoint, string key);

    /// <summary>Every batch, newest first; only those in flight (not collected) when <paramref name="inFlightOnly"/>.</summary>
    IReadOnlyList<StoredBatch> ListBatches(bool inFlightOnly);

    /// <summary>
    /// Marks the stored reply of <paramref name="key"/> in batch <paramref name="batchId"/> as errored with
    /// <paramref name="error"/> and drops it: it could not be read, so the request must be asked again, not read again.
    /// </summary>
    void DiscardBatchReply(string batchId, string key, string error);

    /// <summary>Drops the stored replies whose answer the ledger now has; returns how many.</summary>
    int PruneBatchReplies();
}
