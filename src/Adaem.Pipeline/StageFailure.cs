using System.Globalization;
using Adaem.Core.Configuration;
using Adaem.Core.Errors;
using Adaem.Core.Models;
using Adaem.Providers.Engine;

namespace Adaem.Pipeline;

/// <summary>
/// Turns a model call that stopped a stage into a <see cref="RunFailedException"/> (exit 1) whose message
/// says which model, what happened (already scrubbed by the engine, scrubbed again here), what to fix, and
/// that running the same command again resumes. A call throws only after the engine's retries, so any
/// <see cref="ModelCallException"/> that reaches a stage is a repeated failure of one model, or one that
/// no retry can fix (quota, key).
/// </summary>
internal static class StageFailure
{
    /// <summary>Longest provider message quoted; bodies can be long HTML pages.</summary>
    private const int DetailLimit = 300;

    /// <summary>The run failure for <paramref name="error"/>, or null when no model call is behind it.</summary>
    /// <param name="scrubber">The model pool's scrubber (<see cref="Providers.ModelPool.Scrubber"/>): the one that knows this process's
    /// keys.</param>
    public static RunFailedException? Explain(Exception error, string stage, AdaemConfig config, SecretScrubber scrubber)
    {
        if (Find(error) is not { } call)
            return null;
        config.Models.TryGetValue(call.Model, out var model);
        var (what, fix) = Describe(call, model, config);
        var where = model is null ? "" : $" ({Where(model)})";
        var detail = call.Message.ReplaceLineEndings(" ").Trim();
        var prefix = $"model '{call.Model}': ";
        if (detail.StartsWith(prefix, StringComparison.Ordinal))
            detail = detail[prefix.Length..];
        if (detail.Length > DetailLimit)
            detail = detail[..DetailLimit] + "...";
        var message =
            $"model '{call.Model}'{where} stopped the {stage} stage: {what}.{Environment.NewLine}"
            + $"  provider said: {detail}{Environment.NewLine}"
            + $"  Every finished model call is saved in the store. Fix: {fix}; then run the same command again to resume.";
        return new RunFailedException(scrubber.Scrub(message), call);
    }

    /// <summary>The model call failure behind <paramref name="error"/>, looking through aggregates and wrappers.</summary>
    public static ModelCallException? Find(Exception? error)
    {
        switch (error)
        {
            case null:
                return null;
            case ModelCallException call:
                return call;
            case AggregateException aggregate:
                // Several items failed at once: a failure that stops the run explains more than one that happened alongside it.
                var found = aggregate.Flatten().InnerExceptions.Select(Find).OfType<ModelCallException>().ToList();
                return found.FirstOrDefault(f => f.StopsRun) ?? found.FirstOrDefault();
            default:
                return Find(error.InnerException);
        }
    }

    private static (string What, string Fix) Describe(ModelCallException call, ModelConfig? model, AdaemConfig config)
    {
        var name = call.Model;
        var status = call.Status is { } s ? string.Create(CultureInfo.InvariantCulture, $" (HTTP {s})") : "";
        var attempts = string.Create(CultureInfo.InvariantCulture, $"{call.Attempts} attempt{(call.Attempts == 1 ? "" : "s")}");
        var at = model is { Line: > 0 }
            ? string.Create(CultureInfo.InvariantCulture, $" ({config.Path}:{model.Line})")
            : $" ({config.Path})";
        var key = model?.ApiKeyEnv is { } env ? $"the key in the environment variable {env}" : "its key (this model has no api_key_env)";
        return call.Failure switch
        {
            ModelCallFailure.Quota => (
                $"its quota or credit is used up{status}; no call to it can succeed until that changes",
                $"add credit or raise the quota of the account behind {key}, or take '{name}' out of this stage in the config{at}"
            ),
            ModelCallFailure.Unauthorized => (
                $"the provider refused {key}{status}",
                model?.ApiKeyEnv is { } v
                    ? $"export {v} with a valid key that may use model '{model.Model ?? name}'"
                    : $"add 'api_key_env: NAME' to model '{name}'{at} and export NAME with a valid key"
            ),
            ModelCallFailure.Timeout => (
                $"no reply within its timeout after {attempts}",
                $"check that the server is up and not overloaded, or raise timeout_s of '{name}'{at}"
            ),
            ModelCallFailure.Connection => (
                $"its server could not be reached after {attempts}",
                $"start the server or correct base_url of '{name}'{at}"
            ),
            ModelCallFailure.ServerError => (
                $"the provider kept failing{status} after {attempts}",
                $"wait until the provider recovers, or raise max_retries of '{name}'{at}"
            ),
            ModelCallFailure.RateLimited => (
                $"it was still rate limited{status} after {attempts}",
                $"lower concurrency or set rpm/tpm of '{name}'{at} to the provider's limits, or raise its max_retries"
            ),
            ModelCallFailure.InvalidReply => (
                $"its replies were not usable chat completions after {attempts}",
                $"check that base_url of '{name}'{at} serves an OpenAI-style chat API and that the model id is right"
            ),
            ModelCallFailure.Rejected => (
                $"the provider rejected the request{status}, which asking again will not change",
                $"check the model id and the sampling settings (max_tokens, temperature, top_p) of '{name}'{at}"
            ),
            _ => ($"its calls failed after {attempts}", $"fix the cause above for '{name}'{at}"),
        };
    }

    /// <summary>Provider, model id and endpoint (without credentials): enough to tell two models of one provider apart.</summary>
    private static string Where(ModelConfig model)
    {
        var id = model.Model ?? model.Deployment;
        var parts = new List<string> { model.Provider };
        if (id is not null)
            parts.Add(id);
        if (model.BaseUrls.Count > 0)
            parts.Add("at " + string.Join(", ", model.BaseUrls.Select(EndpointText.WithoutCredentials)));
        return string.Join(" ", parts);
    }
}
