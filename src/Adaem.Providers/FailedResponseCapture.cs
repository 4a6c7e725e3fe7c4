using Adaem.Providers.Engine;
using Microsoft.Extensions.AI;

namespace Adaem.Providers;

/// <summary>
/// What the HTTP layer saw of the last failed response of one call: its Retry-After and error text.
/// Anthropic's exceptions and OllamaSharp's HttpRequestException keep the status but drop the response
/// headers, and OllamaSharp drops the body too; without this the engine could not honour a 429's
/// Retry-After from those providers, and an Ollama error ("model not found") would reach the ledger as
/// a bare status line. One slot per call, carried by an AsyncLocal from the chat layer down to the
/// handler, so concurrent calls on one client never see each other's responses.
/// </summary>
internal sealed class FailedResponseSlot
{
    private static readonly AsyncLocal<FailedResponseSlot?> CurrentSlot = new();

    public static FailedResponseSlot? Current
    {
        get => CurrentSlot.Value;
        set => CurrentSlot.Value = value;
    }

    public int? Status { get; set; }
    public TimeSpan? RetryAfter { get; set; }
    public string? Body { get; set; }
}

/// <summary>Records Retry-After and the error body of a failed response into the current call's slot.</summary>
internal sealed class FailedResponseHandler : DelegatingHandler
{
    /// <summary>Enough of an error body to say what went wrong; the rest is not worth keeping.</summary>
    private const int MaxBody = 1000;

    public FailedResponseHandler() { }

    public FailedResponseHandler(HttpMessageHandler inner)
        : base(inner) { }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode || FailedResponseSlot.Current is not { } slot)
            return response;
        slot.Status = (int)response.StatusCode;
        slot.RetryAfter = CallFailure.ParseRetryAfter(name =>
            response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null
        );
        // Buffer the body so the SDK can still read it after us.
        await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        slot.Body = body.Length > MaxBody ? body[..MaxBody] + "..." : body;
        return response;
    }
}

/// <summary>
/// Opens a slot for each call and, when the SDK throws, attaches what the handler saw: the Retry-After
/// for the retry layer (<see cref="CallFailure.RetryAfterData"/>), and for an HttpRequestException that
/// carries only a status line (OllamaSharp) a replacement that also carries the server's error text.
/// </summary>
internal sealed class FailedResponseChatClient(IChatClient inner) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default
    )
    {
        var slot = new FailedResponseSlot();
        FailedResponseSlot.Current = slot;
        try
        {
            return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (slot.Status is not null)
        {
            var replacement = Enrich(e, slot);
            if (replacement is null)
                throw;
            throw replacement;
        }
    }

    /// <summary>The exception to throw instead, or null to rethrow the original (with the Retry-After attached).</summary>
    private static Exception? Enrich(Exception e, FailedResponseSlot slot)
    {
        if (slot.RetryAfter is { } wait)
            e.Data[CallFailure.RetryAfterData] = wait;
        if (e is not HttpRequestException { StatusCode: { } code } http || (int)code != slot.Status || string.IsNullOrWhiteSpace(slot.Body))
            return null;
        var replacement = new HttpRequestException($"{http.Message} {slot.Body.Trim()}", http, code);
        if (slot.RetryAfter is { } w)
            replacement.Data[CallFailure.RetryAfterData] = w;
        return replacement;
    }
}
