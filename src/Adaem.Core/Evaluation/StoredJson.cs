using System.Text.Json.Serialization;

namespace Adaem.Core.Evaluation;

/// <summary>One opinion as the store keeps it in a parsed response's opinions_json.</summary>
internal sealed record StoredOpinion(
    [property: JsonPropertyName("point")] string Point,
    [property: JsonPropertyName("justification")] string Justification
);

/// <summary>
/// The JSON of stored opinions and labels, generated at build time: the same text the reflection-based
/// serializer wrote, without its first-use cost (it built its metadata, with emitted code, while the first
/// answers of a stage waited to be recorded).
/// </summary>
[JsonSerializable(typeof(IEnumerable<StoredOpinion>))]
[JsonSerializable(typeof(List<StoredOpinion>))]
[JsonSerializable(typeof(IEnumerable<string[]>))]
[JsonSerializable(typeof(List<string[]>))]
internal sealed partial class StoredJson : JsonSerializerContext;
