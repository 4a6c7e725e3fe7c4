using Adaem.Core.Evaluation;
using Adaem.Core.Runs;
using Adaem.Core.Translation;
using Adaem.Pipeline;
using Adaem.Storage;
using Adaem.Tests.Support;
using Xunit;

namespace Adaem.Tests.Export;

/// <summary>A question's trace lists only the translations of the text that was scored, made by the translator the run records.</summary>
public sealed class ScoredTranslationsTests
{
    private static TranslationRecord Record(string item, string source, string translator, string text) =>
        new()
        {
            Run = "r",
            Item = item,
            SourceId = "q1",
            SourceFingerprint = ItemIdentity.Of(source),
            SourceLanguage = "en",
            Language = "zh",
            TranslatorModel = "tr",
            Translator = translator,
            PromptVersion = "v1+zh",
            Text = text,
        };

    [Fact]
    public void Translations_of_an_earlier_text_or_by_an_earlier_translator_are_left_out()
    {
        using var dir = new TempDir();
        var store = AdaemStore.Open(dir.File("s.db"));
        store.SaveTranslation(Record("i1", "Old wording?", "simulated:tr-a", "旧"));
        store.SaveTranslation(Record("i2", "New wording?", "simulated:tr-a", "新 by a"));
        store.SaveTranslation(Record("i3", "New wording?", "simulated:tr-b", "新 by b"));
        store.SaveInstruments("r", [new Instrument(Instrument.Translator, Instrument.Translator, "simulated:tr-b;prompt=translate-1")]);

        var kept = ScoredTranslations.Select(store.LoadTranslations("r", "q1"), "New wording?", ScoredTranslations.Translator(store, "r"));

        Assert.Equal(["新 by b"], kept.Select(t => t.Text));
        // With no translator recorded, only the text is checked.
        var byText = ScoredTranslations.Select(store.LoadTranslations("r", "q1"), "New wording?", null);
        Assert.Equal(["新 by a", "新 by b"], byText.Select(t => t.Text));
    }
}
