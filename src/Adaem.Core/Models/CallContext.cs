using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Adaem.Core.Models;

/// <summary>
/// What the method tells the call engine about a call, carried in <see cref="ChatOptions.AdditionalProperties"/>
/// so that every layer stays a plain <see cref="IChatClient"/>:
/// the run and stage (for the ledger), the prompt role and its schema version and the sample index
/// (for the cache key), and the prompt's fields (for the simulated pool, which answers from them).
/// Provider clients never send these properties.
/// </summary>
public sealed record CallContext(string Run, string Stage, string PromptRole, string PromptVersion, int Sample = 0)
{
    public const string RunKey = "adaem.run";
    public const string StageKey = "adaem.stage";
    public const string RoleKey = "adaem.prompt_role";
    public const string VersionKey = "adaem.prompt_version";
    public const string SampleKey = "adaem.sample";
    public const string FieldsKey = "adaem.fields";

    /// <summary>The prompt's inputs (question, opinions, values, ...) as JSON, for synthetic respondents.</summary>
    public JsonElement? Fields { get; init; }

    public ChatOptions Apply(ChatOptions? options = null)
    {
        var o = options?.Clone() ?? new ChatOptions();
        o.AdditionalProperties ??= [];
        o.AdditionalProperties[RunKey] = Run;
        o.AdditionalProperties[StageKey] = Stage;
        o.AdditionalProperties[RoleKey] = PromptRole;
        o.AdditionalProperties[VersionKey] = PromptVersion;
        o.AdditionalProperties[SampleKey] = Sample;
        if (Fields is { } f)
            o.AdditionalProperties[FieldsKey] = f.GetRawText();
        return o;
    }

    /// <summary>Reads the context back from options; null when the caller set none.</summary>
    public static CallContext? From(ChatOptions? options)
    {
        var p = options?.AdditionalProperties;
        if (p is null || !p.TryGetValue(RoleKey, out var role))
            return null;
        string S(string k) => p.TryGetValue(k, out var v) ? v?.ToString() ?? "" : "";
        var sample = p.TryGetValue(SampleKey, out var s) ? Convert.ToInt32(s, System.Globalization.CultureInfo.InvariantCulture) : 0;
        JsonElement? fields = p.TryGetValue(FieldsKey, out var f) && f is string json ? JsonDocument.Parse(json).RootElement.Clone() : null;
        return new CallContext(S(RunKey), S(StageKey), role?.ToString() ?? "", S(VersionKey), sample) { Fields = fields };
    }

    /// <summary>Options without the adaem.* properties, for handing to a real provider.</summary>
    public static ChatOptions? StripFrom(ChatOptions? options)
    {
        if (options?.AdditionalProperties is not { Count: > 0 } p || !p.Keys.Any(k => k.StartsWith("adaem.", StringComparison.Ordinal)))
            return options;
        var o = options.Clone();
        o.AdditionalProperties = new AdditionalPropertiesDictionary(p.Where(kv => !kv.Key.StartsWith("adaem.", StringComparison.Ordinal)));
        if (o.AdditionalProperties.Count == 0)
            o.AdditionalProperties = null;
        return o;
    }
}
