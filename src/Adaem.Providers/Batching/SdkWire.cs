using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Adaem.Providers.Batching;

/// <summary>
/// One exchange with <see cref="SdkWireHandler"/>: the reply it hands the SDK, and the request body the SDK
/// sent. Carried by an AsyncLocal from <see cref="SdkWire"/> down to the handler, so concurrent exchanges on
/// one client never see each other's.
/// </summary>
internal sealed class WireExchange(string reply)
{
    private static readonly AsyncLocal<WireExchange?> CurrentExchange = new();

    public static WireExchange? Current
    {
        get => CurrentExchange.Value;
        set => CurrentExchange.Value = value;
    }

    public string Reply { get; } = reply;
    public string? Request { get; set; }
}

/// <summary>
/// The HTTP end of an SDK client that never touches the network: it keeps the body of the request the SDK
/// built and answers with the reply of the current <see cref="WireExchange"/>.
/// </summary>
internal sealed class SdkWireHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var exchange =
            WireExchange.Current ?? throw new InvalidOperationException("the batch request builder was used outside an exchange");
        exchange.Request = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent(exchange.Reply, Encoding.UTF8, "application/json"),
            RequestMessage = request,
        };
    }
}

/// <summary>
/// A provider's SDK chat adapter wired to <see cref="SdkWireHandler"/>: asked a call, it yields the exact body
/// the SDK would send for it; handed a reply, the <see cref="ChatResponse"/> the SDK makes of it. Batched and
/// direct calls therefore share one mapping of messages and options to the wire and back.
/// </summary>
internal sealed class SdkWire(IChatClient chat, string emptyReply, params IDisposable[] owned) : IDisposable
{
    public async Task<JsonObject> RequestAsync(
        IReadOnlyList<ChatMessage> messages,
        ChatOptions? options,
        CancellationToken cancellationToken
    )
    {
        var exchange = new WireExchange(emptyReply);
        WireExchange.Current = exchange;
        try
        {
            await chat.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (exchange.Request is not null)
        {
            // The request was built; what the SDK makes of the placeholder reply does not matter.
        }
        if (exchange.Request is null || JsonNode.Parse(exchange.Request) is not JsonObject body)
            throw new InvalidOperationException("the provider's SDK built no JSON request body");
        // A batch line is never streamed.
        body.Remove("stream");
        return body;
    }

    public async Task<ChatResponse> ReplyAsync(
        IReadOnlyList<ChatMessage> messages,
        ChatOptions? options,
        string reply,
        CancellationToken cancellationToken
    )
    {
        WireExchange.Current = new WireExchange(reply);
        return await chat.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        chat.Dispose();
        foreach (var d in owned)
            d.Dispose();
    }
}
