using System.Security.Cryptography;
using System.Text.Json;
using Adaem.Core.Errors;

namespace Adaem.RunFiles;

/// <summary>A frozen release as scores.json and the report name it: the folder, its run and date, and the questions' SHA-256.</summary>
public sealed record BundleInfo(string Path, string? Run, string? Created, string Sha256);

/// <summary>
/// A release as checked: its <see cref="Info"/>, the theory its manifest records (null when it records none), and the
/// bytes of questions.jsonl whose SHA-256 matched, so the questions are parsed from exactly what was checked.
/// </summary>
public sealed record VerifiedBundle(BundleInfo Info, string? TheoryCode, string? TheoryFingerprint, byte[] QuestionsBytes)
{
    /// <summary>The release's manifest.json.</summary>
    public string ManifestPath => System.IO.Path.Combine(Info.Path, BenchmarkBundle.ManifestFile);

    /// <summary>The release's questions.jsonl.</summary>
    public string QuestionsPath => System.IO.Path.Combine(Info.Path, QuestionsWriter.FileName);
}

/// <summary>
/// A frozen release of a benchmark (the paper's periodic regeneration, App. C.7): a folder with
/// questions.jsonl and manifest.json, the manifest recording who made the questions and the SHA-256 of
/// the questions file, so a later evaluation can prove it used exactly the released questions.
/// </summary>
public static class BenchmarkBundle
{
    public const string ManifestFile = "manifest.json";

    /// <summary>The manifest's "format" field; a reader that meets another one says so.</summary>
    public const string Format = "adaem-benchmark/1";

    /// <summary>The lowercase hex SHA-256 of a file's bytes.</summary>
    public static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>True when <paramref name="directory"/> holds a manifest.json (a release, not a plain folder of questions).</summary>
    public static bool IsBundle(string directory) => File.Exists(System.IO.Path.Combine(directory, ManifestFile));

    /// <summary>
    /// Checks a release folder: its manifest is readable and the SHA-256 of questions.jsonl is the one the
    /// manifest records. Any mismatch is an <see cref="InputException"/> (exit 2) naming the file.
    /// </summary>
    public static BundleInfo Verify(string directory) => Open(directory).Info;

    /// <summary>
    /// <see cref="Verify"/>, keeping what was checked: questions.jsonl is read once, and the bytes hashed are the bytes
    /// returned, so a file replaced between the check and the parse cannot slip in.
    /// </summary>
    public static VerifiedBundle Open(string directory)
    {
        var dir = System.IO.Path.GetFullPath(directory);
        var manifest = System.IO.Path.Combine(dir, ManifestFile);
        var questions = System.IO.Path.Combine(dir, QuestionsWriter.FileName);
        if (!File.Exists(questions))
            throw new InputException(
                questions,
                null,
                "the release folder has no questions.jsonl",
                "point --questions to the folder 'adaem export --what benchmark' wrote"
            );
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllText(manifest));
        }
        catch (JsonException e)
        {
            throw new InputException(
                manifest,
                (int?)(e.LineNumber + 1),
                $"not valid JSON: {e.Message}",
                "restore the release's manifest.json, or export the release again"
            );
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || Text(root, "format") != Format)
                throw new InputException(
                    manifest,
                    null,
                    $"not an adaem release manifest (expected \"format\": \"{Format}\")",
                    "export the release again with 'adaem export --what benchmark'"
                );
            var expected =
                root.TryGetProperty("questions_file", out var qf) && qf.ValueKind == JsonValueKind.Object ? Text(qf, "sha256") : null;
            if (expected is null)
                throw new InputException(
                    manifest,
                    null,
                    "the manifest records no questions_file.sha256",
                    "export the release again with 'adaem export --what benchmark'"
                );
            var bytes = File.ReadAllBytes(questions);
            var actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
            if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
                throw new InputException(
                    questions,
                    null,
                    $"questions.jsonl no longer matches the release: its SHA-256 is {actual[..16]}…, the manifest records {expected[..Math.Min(16, expected.Length)]}…",
                    "restore the released file (a changed benchmark is another benchmark), or pass the changed file itself with --questions FILE"
                );
            var theory = root.TryGetProperty("theory", out var t) && t.ValueKind == JsonValueKind.Object ? t : default;
            return new VerifiedBundle(
                new BundleInfo(dir, Text(root, "run"), Text(root, "created_utc"), actual),
                theory.ValueKind == JsonValueKind.Object ? Text(theory, "code") : null,
                theory.ValueKind == JsonValueKind.Object ? Text(theory, "fingerprint") : null,
                bytes
            );
        }
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
