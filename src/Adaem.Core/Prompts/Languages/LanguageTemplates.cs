using System.Globalization;
using System.Text.RegularExpressions;

namespace Adaem.Core.Prompts.Languages;

/// <summary>
/// A language's prompt texts (templates.yaml), keyed "role.piece" as listed in <see cref="TemplateSpec"/>.
/// A placeholder is a lower-case name in braces; rendering replaces each in one pass, so an input that
/// itself contains braces is never read as a placeholder.
/// </summary>
public sealed partial class LanguageTemplates(IReadOnlyDictionary<string, string> texts)
{
    public IReadOnlyDictionary<string, string> Texts { get; } = texts;

    /// <summary>The piece's text as written (for pieces without placeholders).</summary>
    public string this[string key] =>
        Texts.TryGetValue(key, out var t) ? t : throw new KeyNotFoundException($"the language has no template '{key}'");

    /// <summary>The piece with its placeholders replaced; numbers are written culture-invariant.</summary>
    public string Render(string key, params (string Name, object Value)[] values)
    {
        var template = this[key];
        return Placeholder()
            .Replace(
                template,
                m =>
                {
                    var name = m.Groups[1].Value;
                    foreach (var (n, v) in values)
                    {
                        if (n == name)
                            return Convert.ToString(v, CultureInfo.InvariantCulture) ?? "";
                    }
                    throw new InvalidOperationException($"template '{key}' uses {{{name}}}, which its prompt does not supply");
                }
            );
    }

    /// <summary>The placeholder names a text uses, in order of first use.</summary>
    public static IReadOnlyList<string> PlaceholdersOf(string text) =>
        Placeholder().Matches(text).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).ToList();

    [GeneratedRegex(@"\{([a-z_]+)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}
