using Adaem.Core.Configuration;
using Adaem.Core.Errors;
using Adaem.Tests.Support;
using Xunit;

namespace Adaem.Tests.Foundation;

/// <summary>
/// evaluation.languages, evaluation.translator and a simulated model's language_bias: what they read into, and every bad
/// value a problem of its own line (exit 2 before any call) that says how to fix it.
/// </summary>
public sealed class CrossLingualConfigTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    // Line numbers below count from here: evaluation: is line 9, its keys from line 10.
    private string Config(string evaluation, string top = "", string a = "") =>
        _dir.Write(
            "adaem.yaml",
            $"""
            models:
              a: {"{"} provider: simulated, seed: 1{a} {"}"}
              b: {"{"} provider: simulated, seed: 2 {"}"}
              j: {"{"} provider: simulated, seed: 3 {"}"}
              t: {"{"} provider: simulated, seed: 4 {"}"}
              enc: {"{"} provider: local, model: all-MiniLM-L6-v2 {"}"}
            judge: {"{"} model: j {"}"}
            {(top.Length == 0 ? "theory: schwartz10" : top)}
            evaluation:
              targets: [a, b]
            {evaluation}
            """
        );

    private static InputProblem Single(string path)
    {
        var e = Assert.Throws<InputException>(() => ConfigLoader.Load(path));
        return Assert.Single(e.Problems);
    }

    [Fact]
    public void Languages_and_translator_are_read_as_shipped_tags_in_order()
    {
        var c = ConfigLoader.Load(Config("  languages: [en, zh-CN, de]\n  translator: t"));
        Assert.Equal(["en", "zh", "de"], c.Evaluation.Languages);
        Assert.Equal("t", c.Evaluation.Translator);
        Assert.Equal(11, c.Evaluation.LanguagesLine);
        var plain = ConfigLoader.Load(Config(""));
        Assert.Empty(plain.Evaluation.Languages);
        Assert.Null(plain.Evaluation.Translator);
    }

    [Fact]
    public void No_translator_is_needed_when_every_language_is_the_questions_own_language()
    {
        // The questions are written in generation's language (here zh); zh needs no translation, en does.
        var path = Config("  languages: [zh, en]", top: "language: zh");
        var p = Single(path);
        Assert.Equal((path, 11), (p.File, p.Line));
        Assert.Contains("asks in en, which is not the questions' language (zh, the generation language)", p.Message);
        Assert.Contains("translator: MODEL", p.Fix);
    }

    [Theory]
    [InlineData("  languages: [en, zh, en]\n  translator: t", 11, "evaluation.languages lists en twice (first at line 11)")]
    [InlineData("  languages: [en, zh, zh-Hans]\n  translator: t", 11, "evaluation.languages lists zh twice")]
    [InlineData("  languages: [zh]\n  translator: t", 11, "lists 1 language(s); a cross-lingual evaluation compares at least two")]
    [InlineData("  languages: [en, tlh]\n  translator: t", 11, "language 'tlh' is not one adaem ships")]
    [InlineData("  languages: [en, zh]", 11, "asks in zh, which is not the questions' language (en, the generation language)")]
    [InlineData("  languages: [en, zh]\n  translator: nobody", 12, "evaluation.translator 'nobody' names no model")]
    [InlineData("  languages: [en, zh]\n  translator: enc", 12, "evaluation.translator names 'enc', a local sentence encoder")]
    [InlineData("  language: de\n  languages: [en, zh]\n  translator: t", 11, "evaluation.language and evaluation.languages are both set")]
    public void A_bad_language_list_or_translator_is_a_problem_of_its_line(string evaluation, int line, string message)
    {
        var path = Config(evaluation);
        var p = Single(path);
        Assert.Equal((path, line), (p.File, p.Line));
        Assert.Contains(message, p.Message);
        Assert.False(string.IsNullOrEmpty(p.Fix));
    }

    [Fact]
    public void Language_bias_reads_amounts_per_shipped_language()
    {
        var c = ConfigLoader.Load(Config("", a: ", language_bias: { zh-CN: { tradition: 0.3, power: -0.2 } }"));
        var bias = c.Models["a"].LanguageBias!;
        Assert.Equal(["zh"], bias.Keys);
        Assert.Equal(0.3, bias["zh"]["tradition"]);
        Assert.Equal(-0.2, bias["zh"]["power"]);
        Assert.Null(c.Models["b"].LanguageBias);
    }

    [Theory]
    [InlineData(", language_bias: { tlh: { tradition: 0.3 } }", "language_bias of 'a' names 'tlh', which is not a shipped language")]
    [InlineData(", language_bias: { zh: { piety: 0.3 } }", "language_bias of 'a' names 'piety', which is not a value of schwartz10")]
    [InlineData(", language_bias: { zh: { tradition: 1.5 } }", "'models.a.language_bias.zh.tradition' = 1.5 is out of range")]
    public void A_bad_language_bias_is_a_problem_of_the_models_line(string bias, string message)
    {
        var path = Config("", a: bias);
        var p = Single(path);
        Assert.Equal((path, 2), (p.File, p.Line));
        Assert.Contains(message, p.Message);
    }

    [Fact]
    public void Language_bias_only_applies_to_simulated_models()
    {
        var path = _dir.Write(
            "x.yaml",
            """
            models:
              m: { provider: ollama, model: "llama3.1:8b", language_bias: { zh: { tradition: 0.3 } } }
            """
        );
        var p = Single(path);
        Assert.Equal(2, p.Line);
        Assert.Contains("'language_bias' only applies to provider: simulated", p.Message);
    }
}
