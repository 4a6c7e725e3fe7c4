using Adaem.Core.Theory;
using Adaem.Providers.Simulated;
using Xunit;

namespace Adaem.Tests.Simulated;

/// <summary>
/// The phrase banks and cue lists are the simulation's ground truth: what a respondent writes to express
/// a value must be readable as that value, and as no other, by a judge that knows only the cues.
/// </summary>
public sealed class LexiconTests
{
    public static TheoryData<string> BuiltIn => ["schwartz10", "mft5"];

    private static ValueLexicon Lexicon(string theory) => ValueLexicon.For(TheoryLoader.Load(theory));

    [Theory]
    [MemberData(nameof(BuiltIn))]
    public void Every_value_of_the_theory_has_hand_written_banks(string theory)
    {
        var lexicon = Lexicon(theory);
        Assert.True(lexicon.IsBuiltIn);
        Assert.All(
            lexicon.Values,
            v =>
            {
                Assert.True(v.Points.Count >= 5 && v.Justifications.Count >= 5, $"{v.Code}: at least five phrasings each, for varied text");
                Assert.NotEmpty(v.Clauses);
            }
        );
    }

    [Theory]
    [MemberData(nameof(BuiltIn))]
    public void Cue_lists_are_disjoint_between_values(string theory)
    {
        var lexicon = Lexicon(theory);
        foreach (var v in lexicon.Values)
        {
            foreach (var cue in v.Cues)
            {
                // Reading the cue itself (stems without their '*') must find its own value only.
                var found = lexicon.Read(cue.Replace("*", "", StringComparison.Ordinal)).Keys;
                Assert.True(found.SequenceEqual([v.Code]), $"cue '{cue}' of {v.Code} reads as {string.Join(",", found)}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(BuiltIn))]
    public void Every_phrase_reads_as_its_own_value_and_no_other(string theory)
    {
        var lexicon = Lexicon(theory);
        foreach (var v in lexicon.Values)
        {
            foreach (var phrase in v.Points.Concat(v.Justifications).Concat(v.Clauses))
            {
                foreach (var reference in new[] { "", " in Japan", " for teenagers" })
                {
                    var text = phrase.Replace("{ref}", reference, StringComparison.Ordinal);
                    var found = lexicon.Read(text).Keys;
                    Assert.True(found.SequenceEqual([v.Code]), $"'{text}' ({v.Code}) reads as {string.Join(",", found)}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(BuiltIn))]
    public void Bland_phrases_and_context_suffixes_carry_no_value(string theory)
    {
        var lexicon = Lexicon(theory);
        foreach (
            var text in ValueLexicon.BlandPoints.Concat(ValueLexicon.BlandJustifications).Concat(ContextBank.Entries.Select(c => c.Suffix))
        )
        {
            Assert.False(lexicon.HasAnyCue(text), $"'{text}' reads as {string.Join(",", lexicon.Read(text).Keys)}");
        }
    }

    [Fact]
    public void Every_bank_context_evokes_values_of_both_theories_and_is_found_in_its_own_question_suffix()
    {
        foreach (var theory in new[] { "schwartz10", "mft5" })
        {
            var lexicon = Lexicon(theory);
            Assert.All(ContextBank.Entries, c => Assert.NotEmpty(lexicon.EvokedBy(c)));
        }
        Assert.All(
            ContextBank.Entries,
            c => Assert.Contains(c, ContextBank.Entries.Where(e => QuestionReading.Contains($"Should zoos be banned {c.Suffix}?", e)))
        );
        Assert.Equal(ContextBank.Entries.Count, ContextBank.Entries.Select(c => c.Entity).Distinct().Count());
        // A fact names its own context only, so using one context never marks another as used.
        Assert.All(ContextBank.Entries, c => Assert.Equal([c], ContextBank.Entries.Where(e => QuestionReading.Contains(c.Fact, e))));
    }

    [Fact]
    public void A_user_theory_gets_cues_from_its_names_and_definitions()
    {
        var lexicon = new ValueLexicon([
            ("calm", "Calm", "Inner peace and composure under pressure."),
            ("thrift", "Thrift", "Saving money and avoiding waste."),
        ]);
        Assert.False(lexicon.IsBuiltIn);
        Assert.Equal(["calm"], lexicon.Read("Composure matters most here").Keys);
        Assert.Equal(["thrift"], lexicon.Read("It avoids waste").Keys);
        foreach (var v in lexicon.Values)
        {
            Assert.All(
                v.Points.Concat(v.Justifications),
                p => Assert.Contains(v.Code, lexicon.Read(p.Replace("{ref}", "", StringComparison.Ordinal)).Keys)
            );
        }
    }

    [Fact]
    public void Specific_questions_read_as_more_specific_than_generic_ones()
    {
        var theory = TheoryLoader.Load("schwartz10");
        var lexicon = ValueLexicon.For(theory);
        double S(string q) => QuestionReading.Read(q, lexicon, theory).Specificity;
        Assert.Equal(0, S("Should gambling be legalized?"));
        Assert.True(S("Should gambling be legalized in Japan?") > 0.4);
        Assert.True(S("Should gambling be legalized for retirees in Japan since 2015?") > S("Should gambling be legalized in Japan?"));
        Assert.True(
            S("Should gambling be legalized in Japan, even if it threatens stability?") > S("Should gambling be legalized in Japan?")
        );
        Assert.True(S("Should the WHO set rules for Fukushima?") > 0.3, "acronyms and other proper nouns count");
    }
}
