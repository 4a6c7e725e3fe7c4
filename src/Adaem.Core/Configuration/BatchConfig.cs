namespace Adaem.Core.Configuration;

/// <summary>
/// A model's batch settings (<c>batch: true</c> and the optional <c>batch_*</c> keys): its calls are collected
/// and sent through the provider's batch API, at the provider's batch price, instead of one request each.
/// </summary>
public sealed record BatchConfig
{
    /// <summary>The providers that have a batch API adaem speaks.</summary>
    public static readonly IReadOnlyList<string> Providers = [ProviderKinds.OpenAI, ProviderKinds.AzureOpenAI, ProviderKinds.Anthropic];

    /// <summary>The config keys besides <c>batch</c>, for the unknown-key check.</summary>
    public static readonly IReadOnlyList<string> Keys = ["batch_max", "batch_window_s", "batch_poll_s", "batch_retry"];

    public const int DefaultMaxRequests = 1_000;
    public const double DefaultWindowSeconds = 5;
    public const double DefaultPollSeconds = 30;

    /// <summary>Resubmit a request whose batch failed it, expired or was cancelled in a new batch.</summary>
    public const string RetryInBatch = "batch";

    /// <summary>... or ask it again at once, one request at a time (full price).</summary>
    public const string RetrySync = "sync";

    /// <summary>The most requests one batch may hold: OpenAI's and Azure's input file limit, Anthropic's own.</summary>
    public static int LargestMaxRequests(string provider) => provider == ProviderKinds.Anthropic ? 100_000 : 50_000;

    /// <summary>At most this many requests go into one batch (batch_max); it is also how many calls a stage keeps waiting on the
    /// model.</summary>
    public int MaxRequests { get; init; } = DefaultMaxRequests;

    /// <summary>A partial batch is sent once no new request has come for this long (batch_window_s).</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(DefaultWindowSeconds);

    /// <summary>How often a batch in flight is asked for its state (batch_poll_s).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(DefaultPollSeconds);

    /// <summary><see cref="RetryInBatch"/> (default) or <see cref="RetrySync"/> (batch_retry).</summary>
    public string Retry { get; init; } = RetryInBatch;

    /// <summary>The line of <c>batch:</c> in the config.</summary>
    public int Line { get; init; }

    /// <summary>
    /// Reads <c>batch</c> and the <c>batch_*</c> keys of one model; null when the model does not batch. Batch
    /// mode on a provider without a batch API, or a <c>batch_*</c> key without <c>batch: true</c>, is a problem
    /// at its line.
    /// </summary>
    internal static BatchConfig? Read(YamlSection m, string name, string provider)
    {
        var on = m.Bool("batch") ?? false;
        if (!on)
        {
            foreach (var key in Keys.Where(m.Has))
                m.Problem(
                    m.LineOf(key),
                    $"'{key}' of model '{name}' applies only in batch mode",
                    "add batch: true to the model, or remove the key"
                );
            return null;
        }
        if (provider.Length > 0 && !Providers.Contains(provider))
        {
            m.Problem(
                m.LineOf("batch"),
                $"model '{name}' ({provider}) has no batch API adaem can use",
                $"remove 'batch: true' (batch mode exists for {string.Join(", ", Providers)})"
            );
            return null;
        }
        var retry = m.String("batch_retry") ?? RetryInBatch;
        if (retry is not (RetryInBatch or RetrySync))
            m.Problem(
                m.LineOf("batch_retry"),
                $"batch_retry of model '{name}' is '{retry}'",
                $"use '{RetryInBatch}' (a new batch, the default) or '{RetrySync}' (ask at once, full price)"
            );
        var d = new BatchConfig();
        return new BatchConfig
        {
            MaxRequests = m.Int("batch_max", 1, LargestMaxRequests(provider)) ?? d.MaxRequests,
            Window = m.Double("batch_window_s", 0.001, 86_400) is { } w ? TimeSpan.FromSeconds(w) : d.Window,
            PollInterval = m.Double("batch_poll_s", 0.001, 86_400) is { } p ? TimeSpan.FromSeconds(p) : d.PollInterval,
            Retry = retry,
            Line = m.LineOf("batch"),
        };
    }
}
