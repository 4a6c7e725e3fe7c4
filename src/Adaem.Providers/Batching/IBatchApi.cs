using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Adaem.Providers.Batching;

/// <summary>One request of a batch: its custom id (the ledger's call key) and the body a direct call would send.</summary>
public sealed record BatchLine(string CustomId, JsonObject Body);

/// <summary>A batch as the provider describes it at one look.</summary>
/// <param name="State">The provider's own word (OpenAI: validating, in_progress, finalizing, completed, failed, expired,
/// cancelling, cancelled; Anthropic: in_progress, canceling, ended).</param>
/// <param name="Ended">The provider will not work on it any more: its results can be read.</param>
public sealed record BatchStatus(string Id, string State, bool Ended, int Requests, int Succeeded, int Failed)
{
    /// <summary>Why the whole batch failed (OpenAI's validation), when it did; its requests were not run.</summary>
    public string? Failure { get; init; }

    /// <summary>Where the results are: OpenAI's output and error files, Anthropic's results URL.</summary>
    public IReadOnlyList<string> ResultSources { get; init; } = [];
}

/// <summary>The outcome of one request in an ended batch.</summary>
/// <param name="Result">One of <see cref="Core.Models.BatchResults"/>.</param>
/// <param name="Reply">The provider's reply to the request (a chat completion, a message) when it succeeded.</param>
/// <param name="Status">The HTTP status of an errored request (or the one its error type stands for); null when unknown.</param>
/// <param name="Error">What the provider said of an errored request.</param>
public sealed record BatchLineResult(string CustomId, string Result, string? Reply = null, int? Status = null, string? Error = null);

/// <summary>
/// A provider's batch API: how a call becomes a request line and a reply becomes a <see cref="ChatResponse"/>
/// (both through the provider's own SDK adapter, so a batched request is what a direct call would send and
/// its reply reads the same), and the batch life cycle: submit, look, read results. (adaem never cancels a
/// batch: one cancelled with the provider's own tools ends, and its unanswered requests are asked again.)
/// </summary>
public interface IBatchApi : IDisposable
{
    /// <summary>The body a direct call with these messages and options would send.</summary>
    Task<JsonObject> RequestAsync(IReadOnlyList<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken);

    /// <summary>The provider's <paramref name="reply"/> to that request, read as a direct call's reply would be.</summary>
    Task<ChatResponse> ReplyAsync(
        IReadOnlyList<ChatMessage> messages,
        ChatOptions? options,
        string reply,
        CancellationToken cancellationToken
    );

    /// <summary>
    /// Creates a batch of <paramref name="lines"/> (uploading them first where the API needs a file).
    /// <paramref name="cancellationToken"/> stops it only before the batch is created: a batch the provider
    /// may have accepted is waited for, so that its id reaches the store.
    /// </summary>
    Task<BatchStatus> SubmitAsync(IReadOnlyList<BatchLine> lines, CancellationToken cancellationToken);

    Task<BatchStatus> StatusAsync(string batchId, CancellationToken cancellationToken);

    /// <summary>The outcome of each request of an ended batch (requests without a line are missing).</summary>
    Task<IReadOnlyList<BatchLineResult>> ResultsAsync(BatchStatus status, CancellationToken cancellationToken);
}
