using Adaem.Core.Configuration;

namespace Adaem.Core.Planning;

/// <summary>
/// How fast a model can take calls under its limits. A model with concurrency c and latency L (seconds) answers
/// at most c / L calls a second; rpm allows rpm / 60; tpm allows tpm / 60 divided by the tokens a call takes
/// against it (the engine's limiter reserves the prompt and max_tokens; without max_tokens the expected reply).
/// The smallest of these is the model's rate. A replicated model has each limit once per server. Latency is the
/// mean of the model's calls in the store's ledger when it has any, else the assumed --latency; simulated and
/// in-process models take none.
/// </summary>
internal static class WallTime
{
    public static ModelThroughput For(
        PlanContext context,
        string stage,
        string model,
        double calls,
        double inputPerCall,
        double outputPerCall
    )
    {
        var m = context.Model(model);
        var servers = Math.Max(1, m.BaseUrls.Count);
        var (latency, source) = Latency(context, model);
        var concurrency = context.Settings.Concurrency(m) * servers;
        int? rpm = m.Rpm * servers;
        int? tpm = m.Tpm * servers;
        var rates = new List<(double Rate, string Bound)>();
        if (latency > 0)
            rates.Add((concurrency / latency, "concurrency"));
        if (rpm is { } r)
            rates.Add((r / 60.0, "rpm"));
        var reserved = inputPerCall + (m.MaxTokens ?? outputPerCall);
        if (tpm is { } t && reserved > 0)
            rates.Add((t / 60.0 / reserved, "tpm"));
        var (rate, bound) = rates.Count == 0 ? (double.PositiveInfinity, "none") : rates.MinBy(x => x.Rate);
        var seconds = double.IsPositiveInfinity(rate) || calls <= 0 ? 0 : calls / rate;
        return new ModelThroughput(
            stage,
            model,
            calls,
            latency,
            source,
            concurrency,
            rpm,
            tpm,
            double.IsPositiveInfinity(rate) ? 0 : rate,
            bound,
            seconds
        );
    }

    /// <summary>The latency of one call of <paramref name="model"/> in seconds, and where it comes from.</summary>
    public static (double Seconds, string Source) Latency(PlanContext context, string model)
    {
        if (context.MeasuredLatency(model) is { } measured)
            return (measured, "measured");
        return context.Model(model).Provider is ProviderKinds.Simulated or ProviderKinds.Local
            ? (0, "in-process")
            : (context.Settings.AssumedLatencySeconds, "assumed");
    }

    /// <summary>The rates of every model in <paramref name="rows"/> (one stage's calls).</summary>
    public static IReadOnlyList<ModelThroughput> ForStage(PlanContext context, string stage, IReadOnlyList<PlannedCalls> rows) =>
        rows.GroupBy(r => r.Model, StringComparer.Ordinal)
            .Select(g =>
            {
                var calls = g.Sum(r => r.Calls);
                return For(
                    context,
                    stage,
                    g.Key,
                    calls,
                    calls == 0 ? 0 : g.Sum(r => r.InputTokens) / calls,
                    calls == 0 ? 0 : g.Sum(r => r.OutputTokens) / calls
                );
            })
            .OrderBy(t => t.Model, StringComparer.Ordinal)
            .ToList();
}
