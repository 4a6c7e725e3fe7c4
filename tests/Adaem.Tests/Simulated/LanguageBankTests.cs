using Adaem.Core.Prompts.Languages;
using Adaem.Core.Theory;
using Adaem.Providers.Simulated;

namespace Adaem.Tests.Simulated;

/// <summary>
/// The simulated pool's phrase banks in other languages (data/simulated) keep the rules of the English ones:
/// every shipped language has one, aligned with the English banks one for one (so the same values are
/// picked in every language), every phrase is read as its own value and no other by a judge that knows the
/// English and the language's cues, and the bland phrases carry no value.
/// </summary>
public sealed class LanguageBankTests
{
    public static TheoryData<string> Languages => [.. PromptLanguages.Shipped.Where(l => l != "en")];

    private static readonly ValueTheory Schwartz = TheoryLoader.Load("schwartz10");

    [Fact]
    public void Every_shipped_language_but_English_has_a_bank_and_no_bank_is_for_an_unshipped_language()
    {
        Assert.Equal(
            Languages.Select(r => r.Data).Order(StringComparer.Ordinal),
            SimulatedLanguages.Known.Keys.Order(StringComparer.Ordinal)
        );
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void The_bank_covers_every_schwartz_value_aligned_with_the_English_phrases(string code)
    {
        var english = ValueLexicon.For(Schwartz);
        var local = ValueLexicon.For(Schwartz, SimulatedLanguages.Get(code));
        foreach (var v in english.Values)
        {
            var l = local.ByCode[v.Code];
            Assert.Equal(v.Points.Count, l.Points.Count);
            Assert.Equal(v.Justifications.Count, l.Justifications.Count);
            Assert.NotEqual(v.Points, l.Points);
        }
        Assert.Equal(ValueLexicon.BlandPoints.Count, local.Bland.Points.Count);
        Assert.Equal(ValueLexicon.BlandJustifications.Count, local.Bland.Justifications.Count);
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void Cues_are_disjoint_between_values_with_the_English_cues_included(string code)
    {
        var bank = SimulatedLanguages.Get(code)!;
        var lexicon = ValueLexicon.For(Schwartz, bank);
        foreach (var (value, b) in bank.Values)
        {
            foreach (var cue in b.Cues)
            {
                var found = lexicon.Read(cue.Replace("*", "", StringComparison.Ordinal)).Keys;
                Assert.True(found.SequenceEqual([value]), $"{code} cue '{cue}' of {value} reads as {string.Join(",", found)}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void Every_phrase_reads_as_its_own_value_and_no_other(string code)
    {
        var lexicon = ValueLexicon.For(Schwartz, SimulatedLanguages.Get(code));
        var wrong = new List<string>();
        foreach (var v in lexicon.Values)
        {
            foreach (var phrase in v.Points.Concat(v.Justifications))
            {
                var found = lexicon.Read(phrase).Keys;
                if (!found.SequenceEqual([v.Code]))
                    wrong.Add($"'{phrase}' ({v.Code}) reads as [{string.Join(",", found)}]");
            }
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void Bland_phrases_carry_no_value(string code)
    {
        var lexicon = ValueLexicon.For(Schwartz, SimulatedLanguages.Get(code));
        foreach (var text in lexicon.Bland.Points.Concat(lexicon.Bland.Justifications))
            Assert.False(lexicon.HasAnyCue(text), $"'{text}' reads as {string.Join(",", lexicon.Read(text).Keys)}");
    }
}
