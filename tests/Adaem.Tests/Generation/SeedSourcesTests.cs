using Adaem.Core.Errors;
using Adaem.Core.Generation;
using Xunit;

namespace Adaem.Tests.Generation;

public sealed class SeedSourcesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("adaem-seeds-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File(string name, string text)
    {
        var p = Path.Combine(_dir, name);
        System.IO.File.WriteAllText(p, text);
        return p;
    }

    [Fact]
    public void Builtin_set_covers_the_nine_categories()
    {
        var seeds = SeedSources.LoadBuiltin();
        Assert.True(seeds.Count >= 160, $"{seeds.Count} seeds");
        Assert.Equal(seeds.Count, seeds.Select(s => s.Id).Distinct().Count());
        Assert.All(seeds, s => Assert.EndsWith("?", s.Question));
        Assert.All(seeds, s => Assert.False(string.IsNullOrWhiteSpace(s.Argument)));
        var byCategory = seeds.GroupBy(s => s.Category).ToDictionary(g => g.Key!, g => g.Count());
        Assert.Equal(SeedCategories.All.Order(), byCategory.Keys.Order());
        Assert.All(byCategory.Values, n => Assert.True(n >= 15));
        Assert.Same(SeedSources.Builtin, "builtin");
        Assert.Equal(seeds.Count, SeedSources.Load("builtin", _dir).Count);
    }

    [Fact]
    public void Touche_arguments_become_one_seed_per_conclusion()
    {
        var path = File(
            "arguments-training.tsv",
            "Argument ID\tConclusion\tStance\tPremise\n"
                + "A01001\tWe should ban human cloning\tin favor of\twe should ban human cloning as it will only cause huge issues\n"
                + "A01002\tWe should ban human cloning\tagainst\tcloning could help infertile couples\n"
                + "A01003\tPayday loans should be banned\tin favor of\tthey trap the poor\n"
                + "A01004\tZoos do more harm than good\tagainst\tzoos protect endangered species\n"
        );
        var seeds = SeedSources.Load("arguments-training.tsv", _dir);
        Assert.Equal(["A01001", "A01003", "A01004"], seeds.Select(s => s.Id));
        Assert.Equal("Should we ban human cloning?", seeds[0].Question);
        Assert.Equal("We should ban human cloning", seeds[0].Argument);
        Assert.Equal("Should payday loans be banned?", seeds[1].Question);
        Assert.Equal("Do you agree that zoos do more harm than good?", seeds[2].Question);
        Assert.All(seeds, s => Assert.True(s.QuestionByRule));
        Assert.StartsWith("touche23:", seeds[0].Source);
    }

    [Fact]
    public void Touche_row_with_wrong_field_count_names_its_line()
    {
        var path = File(
            "arguments-bad.tsv",
            "Argument ID\tConclusion\tStance\tPremise\n"
                + "A1\tWe should ban whaling\tin favor of\tit is cruel\n"
                + "A2\tWe should ban whaling\tagainst\n"
        );
        var e = Assert.Throws<InputException>(() => SeedSources.LoadFile(path));
        Assert.Equal(3, e.Problems[0].Line);
    }

    [Fact]
    public void Jsonl_with_question_field()
    {
        var path = File(
            "mine.jsonl",
            "{\"question\": \"Should zoos exist?\", \"category\": \"Science, Health & Environment\"}\n\n"
                + "{\"id\": \"x7\", \"question\": \"Should tipping be abolished?\", \"argument\": \"Tipping should be abolished\", \"extra\": 3}\n"
                + "{\"question\": \"should zoos exist\"}\n"
        );
        var seeds = SeedSources.LoadFile(path);
        Assert.Equal(2, seeds.Count); // the third repeats the first
        Assert.Equal("seed-1", seeds[0].Id);
        Assert.Equal("Science, Health & Environment", seeds[0].Category);
        Assert.Equal(("x7", "Tipping should be abolished"), (seeds[1].Id, seeds[1].Argument));
        Assert.False(seeds[1].QuestionByRule);
    }

    [Fact]
    public void Malformed_jsonl_line_names_its_line()
    {
        var path = File("broken.jsonl", "{\"question\": \"Should zoos exist?\"}\n{\"question\": \"Should\n");
        var e = Assert.Throws<InputException>(() => SeedSources.LoadFile(path));
        Assert.Equal(2, e.Problems[0].Line);
    }

    [Fact]
    public void Csv_with_question_column_and_a_missing_question()
    {
        var ok = File(
            "q.csv",
            "id,question,category\n1,\"Should cities ban cars, trucks and vans?\",Economics & Business\n2,Is lying ever justified?,\n"
        );
        var seeds = SeedSources.LoadFile(ok);
        Assert.Equal("Should cities ban cars, trucks and vans?", seeds[0].Question);
        Assert.Null(seeds[1].Category);

        var bad = File("bad.csv", "id,question\n1,Should zoos exist?\n2,\n");
        var e = Assert.Throws<InputException>(() => SeedSources.LoadFile(bad));
        Assert.Equal(3, e.Problems[0].Line);
    }

    [Fact]
    public void File_without_question_field_is_rejected_with_a_fix()
    {
        var path = File("wrong.jsonl", "{\"text\": \"Should zoos exist?\"}\n");
        var e = Assert.Throws<InputException>(() => SeedSources.LoadFile(path));
        Assert.Contains("question", e.Problems[0].Fix);
    }

    [Fact]
    public void Duplicate_ids_are_rejected()
    {
        var path = File(
            "dup.jsonl",
            "{\"id\":\"a\",\"question\":\"Should zoos exist?\"}\n{\"id\":\"a\",\"question\":\"Should circuses exist?\"}\n"
        );
        var e = Assert.Throws<InputException>(() => SeedSources.LoadFile(path));
        Assert.Equal(2, e.Problems[0].Line);
    }

    [Theory]
    [InlineData("We should ban whaling", "Should we ban whaling?")]
    [InlineData("Payday loans should be banned.", "Should payday loans be banned?")]
    [InlineData("Homeopathy is a pseudoscience", "Is homeopathy a pseudoscience?")]
    [InlineData("People who are poor should get aid", "Should people who are poor get aid?")]
    [InlineData("We should not subsidize space exploration", "Do you agree that we should not subsidize space exploration?")]
    [InlineData("Zoos do more harm than good", "Do you agree that zoos do more harm than good?")]
    [InlineData("Is the EU good for Europe?", "Is the EU good for Europe?")]
    [InlineData("NATO should expand", "Should NATO expand?")]
    public void Argument_to_question_rule(string argument, string question) =>
        Assert.Equal(question, ArgumentQuestion.FromArgument(argument));
}
