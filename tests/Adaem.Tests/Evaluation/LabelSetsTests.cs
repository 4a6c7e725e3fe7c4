using Adaem.Core.Evaluation;

namespace Adaem.Tests.Evaluation;

/// <summary>Label sets are shared by content, so a large evaluation keeps one set per combination of values.</summary>
public sealed class LabelSetsTests
{
    [Fact]
    public void The_same_codes_in_any_order_give_the_same_set_and_other_codes_another()
    {
        var pool = new LabelSets();

        var a = pool.Of(["security", "benevolence"]);
        var b = pool.Of(["benevolence", "security", "security"]);
        var c = pool.Of(["security"]);

        Assert.Same(a, b);
        Assert.NotSame(a, c);
        Assert.Equal(["benevolence", "security"], a.Order(StringComparer.Ordinal));
        Assert.Same(pool.Of([]), pool.Of([]));
        Assert.Empty(pool.Of([]));
    }
}
