using Adaem.Core.Errors;
using Adaem.Core.Theory;
using Adaem.Tests.Support;

namespace Adaem.Tests.Foundation;

public class TheoryTests
{
    [Fact]
    public void Schwartz_is_ten_values_in_circumplex_order_with_opposing_groups()
    {
        var t = TheoryLoader.Load("schwartz10");
        Assert.Equal(10, t.Count);
        Assert.Equal(
            [
                "self_direction",
                "stimulation",
                "hedonism",
                "achievement",
                "power",
                "security",
                "tradition",
                "conformity",
                "benevolence",
                "universalism",
            ],
            t.Values.Select(v => v.Code)
        );
        Assert.All(t.Values, v => Assert.False(string.IsNullOrWhiteSpace(v.Definition)));
        Assert.Equal(4, t.Groups.Count);
        Assert.Equal(["security", "conformity"], t.SameGroup("tradition").Select(v => v.Code));
        Assert.Equal(["self_direction", "stimulation", "hedonism"], t.OppositeGroup("tradition").Select(v => v.Code));
        Assert.Equal(["benevolence", "universalism"], t.OppositeGroup("power").Select(v => v.Code));
    }

    [Fact]
    public void Moral_foundations_is_five_values()
    {
        var t = TheoryLoader.Load("mft5");
        Assert.Equal(["care", "fairness", "loyalty", "authority", "sanctity"], t.Values.Select(v => v.Code));
        Assert.Equal(["care", "fairness"], t.OppositeGroup("loyalty").Select(v => v.Code));
    }

    [Fact]
    public void A_user_theory_file_loads_relative_to_the_base_directory()
    {
        using var dir = new TempDir();
        dir.Write(
            "mine.yaml",
            """
            code: duo
            name: Two values
            values:
              - { code: thrift, name: Thrift, definition: Saving resources. }
              - { code: generosity, name: Generosity, abbreviation: GEN, definition: Giving to others. }
            """
        );
        var t = TheoryLoader.Load("mine.yaml", dir.Path);
        Assert.Equal("duo", t.Code);
        Assert.Equal("THR", t["thrift"].Abbreviation);
        Assert.Equal("GEN", t["generosity"].Abbreviation);
        Assert.Empty(t.SameGroup("thrift"));
    }

    [Theory]
    [InlineData("code: x\nname: X\nvalues:\n  - { code: a, name: A, definition: d }\n  - { code: b, name: B }\n", 5, "definition")]
    [InlineData(
        "code: x\nname: X\nvalues:\n  - { code: a, name: A, definition: d }\n  - { code: a, name: A2, definition: d }\n",
        5,
        "used twice"
    )]
    [InlineData(
        "code: x\nname: X\nvalues:\n  - { code: a, name: A, definition: d, group: g }\n  - { code: b, name: B, definition: d }\n",
        4,
        "group 'g'"
    )]
    [InlineData(
        "code: x\nname: X\nvalues:\n  - { code: a, name: A, definition: d }\n  - { code: b, name: B, definiton: d }\n",
        5,
        "unknown key"
    )]
    [InlineData("code: x\nname: X\nvalues: [\n  - broken\n", 4, "YAML syntax")]
    [InlineData(
        "code: x\nname: X\nvalues:\n  - { code: Self Direction, name: A, definition: d }\n  - { code: b, name: B, definition: d }\n",
        4,
        "snake_case"
    )]
    public void A_broken_theory_is_rejected_with_the_line_and_the_problem(string yaml, int line, string problem)
    {
        using var dir = new TempDir();
        var path = dir.Write("broken.yaml", yaml);
        var e = Assert.Throws<InputException>(() => TheoryLoader.Load(path));
        var p = Assert.Single(e.Problems, x => x.Message.Contains(problem, StringComparison.Ordinal));
        Assert.Equal(path, p.File);
        Assert.Equal(line, p.Line);
        Assert.Contains($"broken.yaml:{line}", e.Message);
    }

    [Fact]
    public void An_unknown_theory_name_says_what_exists()
    {
        var e = Assert.Throws<InputException>(() => TheoryLoader.Load("hofstede6", Path.GetTempPath()));
        Assert.Contains("schwartz10", e.Message);
    }
}
