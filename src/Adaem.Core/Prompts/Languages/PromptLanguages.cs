using Adaem.Core.Data;
using Adaem.Core.Errors;

namespace Adaem.Core.Prompts.Languages;

/// <summary>
/// The languages adaem ships (data/prompts/CODE/, embedded in this assembly) and the loading of a user's
/// language folder. A config's <c>language:</c> is a shipped BCP-47 tag, matched ignoring case and, failing
/// that, by its primary subtag (zh-CN reads as zh, as RFC 4647 lookup does), or the path of a folder
/// holding the three files of a language.
/// </summary>
public static class PromptLanguages
{
    public const string BuiltInSource = "built-in";

    /// <summary>The tag of the default language.</summary>
    public const string DefaultCode = "en";

    /// <summary>How a user adds a language, for error messages.</summary>
    public const string HowToAdd =
        "to add a language, copy the folder data/prompts/en of the adaem sources (language.yaml, templates.yaml, examples.yaml), translate it "
        + "(docs/languages.md), check it with 'adaem validate prompts --language FOLDER', and set language: FOLDER";

    private static readonly string[] PreferredOrder = ["en", "zh", "es", "de", "fr", "ja", "ar"];

    /// <summary>
    /// The shipped languages by tag, each read from the assembly on first use: a run in English reads no other
    /// language's files (reading all seven took a noticeable part of adaem's start).
    /// </summary>
    private static readonly Lazy<IReadOnlyDictionary<string, Lazy<PromptLanguage>>> BuiltIns = new(
        FindBuiltIns,
        LazyThreadSafetyMode.ExecutionAndPublication
    );

    /// <summary>The shipped languages' tags, English first.</summary>
    public static IReadOnlyList<string> Shipped =>
        BuiltIns
            .Value.Keys.OrderBy(k => Array.IndexOf(PreferredOrder, k) is var i and >= 0 ? i : PreferredOrder.Length)
            .ThenBy(k => k, StringComparer.Ordinal)
            .ToList();

    public static PromptLanguage English => BuiltIns.Value[DefaultCode].Value;

    /// <summary>The shipped tag a config value names (exact tag ignoring case, else its primary subtag), or null.</summary>
    public static string? MatchShipped(string tag)
    {
        var t = tag.Trim();
        foreach (var code in BuiltIns.Value.Keys)
            if (string.Equals(code, t, StringComparison.OrdinalIgnoreCase))
                return code;
        var primary = t.Split('-', '_')[0];
        foreach (var code in BuiltIns.Value.Keys)
            if (string.Equals(code, primary, StringComparison.OrdinalIgnoreCase))
                return code;
        return null;
    }

    /// <summary>Whether a config value is meant as a folder rather than a tag.</summary>
    public static bool IsPath(string value) =>
        value.Contains('/', StringComparison.Ordinal)
        || value.Contains('\\', StringComparison.Ordinal)
        || value.StartsWith('.')
        || Path.IsPathRooted(value);

    /// <summary>
    /// The language a config value or command option names: a shipped tag, or a language folder (relative to
    /// <paramref name="baseDirectory"/>). Throws <see cref="InputException"/> (with <paramref name="file"/> and
    /// <paramref name="line"/> for an unknown tag) naming the shipped languages and how to add one.
    /// </summary>
    public static PromptLanguage Get(string value, string? baseDirectory = null, string? file = null, int? line = null)
    {
        if (MatchShipped(value) is { } code && !IsPath(value))
            return BuiltIns.Value[code].Value;
        if (!IsPath(value))
        {
            throw new InputException(
                file ?? "--language",
                line,
                $"language '{value}' is not one adaem ships (shipped: {string.Join(", ", Shipped)})",
                $"use one of them, or {HowToAdd}"
            );
        }
        var folder = Path.GetFullPath(Path.Combine(baseDirectory ?? Directory.GetCurrentDirectory(), value));
        if (!Directory.Exists(folder))
        {
            throw new InputException(
                file ?? folder,
                line,
                $"language folder '{value}' is not there (looked for {folder})",
                $"correct the path, or use a shipped language ({string.Join(", ", Shipped)}); {HowToAdd}"
            );
        }
        LanguageLoader.FileText Read(string name)
        {
            var path = Path.Combine(folder, name);
            if (!File.Exists(path))
                throw new InputException(
                    path,
                    null,
                    $"the language folder has no {name}",
                    $"copy {name} from data/prompts/en and translate it"
                );
            return new LanguageLoader.FileText(path, Utf8Text.Read(path));
        }
        return LanguageLoader.Load(
            Read(LanguageLoader.LanguageFile),
            Read(LanguageLoader.TemplatesFile),
            Read(LanguageLoader.ExamplesFile),
            folder
        );
    }

    /// <summary>
    /// The language a resolved config value names (see <see cref="Configuration.ConfigLoader"/>: a shipped tag or a
    /// full folder path); the built-in English for null.
    /// </summary>
    public static PromptLanguage Resolve(string? resolved) => resolved is null ? English : Get(resolved);

    private static Dictionary<string, Lazy<PromptLanguage>> FindBuiltIns()
    {
        var assembly = typeof(PromptLanguages).Assembly;
        var names = assembly
            .GetManifestResourceNames()
            .Select(n => (Resource: n, Name: n.Replace('\\', '/')))
            .Where(n => n.Name.StartsWith("prompts/", StringComparison.Ordinal))
            .ToList();
        var codes = names
            .Select(n => n.Name.Split('/'))
            .Where(p => p.Length == 3)
            .Select(p => p[1])
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (!codes.Contains(DefaultCode))
            throw new InvalidOperationException("the built-in English prompts are missing from the assembly");
        return codes.ToDictionary(
            code => code,
            code => new Lazy<PromptLanguage>(() => LoadBuiltIn(assembly, names, code), LazyThreadSafetyMode.ExecutionAndPublication),
            StringComparer.Ordinal
        );
    }

    private static PromptLanguage LoadBuiltIn(System.Reflection.Assembly assembly, List<(string Resource, string Name)> names, string code)
    {
        LanguageLoader.FileText Read(string file)
        {
            var resource =
                names.FirstOrDefault(n => n.Name == $"prompts/{code}/{file}").Resource
                ?? throw new InvalidOperationException($"built-in language {code} has no {file} in the assembly");
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            return new LanguageLoader.FileText($"<built-in prompts/{code}/{file}>", reader.ReadToEnd());
        }
        var language = LanguageLoader.Load(
            Read(LanguageLoader.LanguageFile),
            Read(LanguageLoader.TemplatesFile),
            Read(LanguageLoader.ExamplesFile),
            BuiltInSource,
            builtInEnglish: code == DefaultCode
        );
        if (language.Code != code)
            throw new InvalidOperationException($"built-in language folder {code} declares code '{language.Code}'");
        return language;
    }
}
