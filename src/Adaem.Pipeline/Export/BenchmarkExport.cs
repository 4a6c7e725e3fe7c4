using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Adaem.Core.Errors;
using Adaem.Core.Evaluation;
using Adaem.Core.Generation;
using Adaem.Core.Runs;
using Adaem.Providers;
using Adaem.Providers.Engine;
using Adaem.RunFiles;

namespace Adaem.Pipeline;

/// <summary>
/// `adaem export --what benchmark --out DIR`: a frozen release of a run's benchmark (the paper's periodic
/// regeneration, App. C.7) — questions.jsonl (the run's selection, as `--what questions` makes it) and
/// manifest.json saying who made it: adaem's version, the date, the theory and its fingerprint, the
/// generator, scorer and judge models with their resolved identities (never a credential), the seed
/// source, the config hash, counts per category and the questions file's SHA-256. No model is called.
/// </summary>
internal static class BenchmarkExport
{
    public static string Write(StageContext context, bool outGiven, StageEvents events)
    {
        if (!outGiven)
            throw new InputException(
                "--out",
                null,
                "a release is a folder of its own, and no --out was given",
                "add --out DIR (e.g. --out releases/2026-11)"
            );
        var config = context.Config;
        var g = config.Generation;
        var selected = QuestionSelection
            .SelectAsync(context.Store, context.Run, g.SelectTop, g.SelectThreshold, null, CancellationToken.None)
            .GetAwaiter()
            .GetResult();
        if (selected.Count == 0)
            throw new InputException(
                context.Store.Path,
                null,
                $"run '{context.Run}' has no scored questions",
                "run 'adaem generate' for this run first (or check --run)"
            );

        // Identities resolve without a call; a model with a missing key stops here with exit 2, nothing written.
        using var pool = ModelPools.Engine(context.Config, context.Theory, context.Store);
        var manifest = Manifest(context, pool, selected, sha256: null);
        if (BenchmarkBundle.IsBundle(context.OutDir))
            return KeepExisting(context.OutDir, selected, events);
        Directory.CreateDirectory(context.OutDir);
        var questions = QuestionsWriter.Write(context.OutDir, selected);
        manifest = Manifest(context, pool, selected, BenchmarkBundle.Sha256Of(questions));
        // Identities are credential-free already; the scrubber also removes any key the config's environment holds.
        var path = Path.Combine(context.OutDir, BenchmarkBundle.ManifestFile);
        AtomicFile.WriteText(path, pool.Scrubber.ScrubKnown(manifest));
        foreach (var change in Changed(context, pool))
            events.Warning(
                $"{change}; manifest.json lists what the config resolves to now under \"generation\", and what the run recorded under \"recorded_instruments\""
            );
        return path;
    }

    /// <summary>
    /// A release is frozen: a folder that already holds one is never rewritten, since a stop halfway would leave new
    /// questions beside the old manifest. The same questions again leave it as it is (a warning); other questions are
    /// exit 2 with nothing written.
    /// </summary>
    private static string KeepExisting(string directory, IReadOnlyList<BenchmarkQuestion> selected, StageEvents events)
    {
        var manifest = Path.Combine(directory, BenchmarkBundle.ManifestFile);
        string? recorded;
        try
        {
            recorded = BenchmarkBundle.Verify(directory).Sha256;
        }
        catch (InputException)
        {
            recorded = null;
        }
        var scratch = Path.Combine(Path.GetTempPath(), $"adaem-release-{Guid.NewGuid():N}");
        string now;
        try
        {
            Directory.CreateDirectory(scratch);
            now = BenchmarkBundle.Sha256Of(QuestionsWriter.Write(scratch, selected));
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
        if (recorded == now)
        {
            events.Warning($"{directory} already holds this release (the same questions, SHA-256 {now[..16]}…); left unchanged");
            return manifest;
        }
        throw new InputException(
            manifest,
            null,
            recorded is null
                ? "this folder holds a release whose questions.jsonl no longer matches its manifest"
                : $"this folder already holds another release (questions SHA-256 {recorded[..16]}…, the run's selection now {now[..16]}…); a release is frozen",
            "export to a new folder (e.g. --out releases/NEXT), or delete this folder first if it is to be replaced"
        );
    }

    /// <summary>Generation instruments the run recorded that the config now resolves differently.</summary>
    private static IEnumerable<string> Changed(StageContext context, ModelPool pool)
    {
        var recorded = context.Store.LoadInstruments(context.Run).Where(i => i.Current).ToDictionary(i => (i.Role, i.Name));
        foreach (var now in StageInstruments.ForGeneration(context.Config, pool, context.Theory))
        {
            if (recorded.TryGetValue((now.Role, now.Name), out var was) && was.Identity != now.Identity)
                yield return $"the run generated with {now.Role} '{now.Name}' = {was.Identity}, the config now gives {now.Identity}";
        }
    }

    private static string Manifest(StageContext context, ModelPool pool, IReadOnlyList<BenchmarkQuestion> selected, string? sha256)
    {
        var config = context.Config;
        var g = config.Generation;
        using var buffer = new MemoryStream();
        using (
            var w = new Utf8JsonWriter(
                buffer,
                new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }
            )
        )
        {
            w.WriteStartObject();
            w.WriteString("format", BenchmarkBundle.Format);
            w.WriteString(
                "adaem_version",
                typeof(BenchmarkExport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                    ?? "unknown"
            );
            w.WriteString("created_utc", DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
            w.WriteString("run", context.Run);
            w.WriteString("config_hash", config.Hash);
            w.WriteStartObject("theory");
            w.WriteString("code", context.Theory.Code);
            w.WriteString("fingerprint", ItemIdentity.Theory(context.Theory));
            w.WriteEndObject();

            w.WriteStartObject("generation");
            Models(w, "explorers", g.Explorers, pool);
            Models(w, "scorers", g.Scorers, pool);
            if ((g.Judge ?? config.Judge?.Model) is { } gj)
                Model(w, "judge", gj, pool, config.Judge?.Mode);
            w.WriteString("seeds", g.Seeds);
            w.WriteNumber("seed", g.Seed);
            if (g.SelectTop is { } top)
                w.WriteNumber("select_top", top);
            if (g.SelectThreshold is { } threshold)
                w.WriteNumber("select_threshold", threshold);
            w.WriteEndObject();
            if (config.Judge is { } j)
            {
                w.WriteStartObject("evaluation");
                Model(w, "judge", j.Model, pool, j.Mode);
                w.WriteEndObject();
            }

            w.WriteStartArray("recorded_instruments");
            foreach (var i in context.Store.LoadInstruments(context.Run))
            {
                w.WriteStartObject();
                w.WriteString("role", i.Role);
                w.WriteString("name", i.Name);
                w.WriteString("identity", i.Identity);
                w.WriteString("since", i.Since);
                if (i.SupersededAt is { } s)
                    w.WriteString("superseded_at", s);
                w.WriteEndObject();
            }
            w.WriteEndArray();

            w.WriteNumber("questions", selected.Count);
            w.WriteStartObject("categories");
            foreach (
                var c in selected.GroupBy(q => q.Category ?? "(none)", StringComparer.Ordinal).OrderBy(c => c.Key, StringComparer.Ordinal)
            )
                w.WriteNumber(c.Key, c.Count());
            w.WriteEndObject();
            w.WriteStartObject("questions_file");
            w.WriteString("name", QuestionsWriter.FileName);
            if (sha256 is null)
                w.WriteNull("sha256");
            else
                w.WriteString("sha256", sha256);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void Models(Utf8JsonWriter w, string property, IReadOnlyList<string> names, ModelPool pool)
    {
        w.WriteStartArray(property);
        foreach (var n in names)
            Model(w, null, n, pool, null);
        w.WriteEndArray();
    }

    private static void Model(Utf8JsonWriter w, string? property, string name, ModelPool pool, string? mode)
    {
        if (property is null)
            w.WriteStartObject();
        else
            w.WriteStartObject(property);
        var id = pool.Resolve(name);
        w.WriteString("name", name);
        w.WriteString("provider", id.ProviderKind);
        w.WriteString("endpoint", EndpointText.WithoutCredentials(id.Endpoint));
        w.WriteString("model", id.ModelId);
        if (mode is not null)
            w.WriteString("mode", mode);
        w.WriteString("identity", pool.Identity(name));
        w.WriteEndObject();
    }
}
