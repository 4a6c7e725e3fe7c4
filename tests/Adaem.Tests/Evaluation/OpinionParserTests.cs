using Adaem.Core.Prompts;
using Xunit;

namespace Adaem.Tests.Evaluation;

/// <summary>The Listing 3 parser on a corpus of replies written to look like what real models send, clean and nasty.</summary>
public sealed class OpinionParserTests
{
    /// <summary>Expected reading of one reply; Error set means the reply must fail with an error starting so.</summary>
    public sealed record Case(
        string Name,
        string Reply,
        string? Stance = null,
        int Count = 0,
        string? FirstPoint = null,
        string? FirstWhy = null,
        string? LastWhy = null,
        string? Error = null
    )
    {
        public override string ToString() => Name;
    }

    public static readonly TheoryData<Case> Corpus =
    [
        new Case(
            "clean template",
            """
            Stance: yes
            Key Points:
            1. Economic growth: More people find work.
            2. Fairness: Everyone gets the same chance.
            3. Stability: Fewer sudden shocks.
            """,
            "yes",
            3,
            "Economic growth",
            "More people find work.",
            "Fewer sudden shocks."
        ),
        new Case(
            "markdown bold labels",
            """
            **Stance:** No

            **Key Points:**
            1. **Privacy**: Constant surveillance erodes trust in institutions.
            2. **Cost**: The system is expensive to run.
            3. **Effectiveness**: There is little evidence it reduces crime.
            """,
            "no",
            3,
            "Privacy",
            "Constant surveillance erodes trust in institutions."
        ),
        new Case(
            "colon inside the bold",
            """
            **Stance**: **Yes**
            **Key Points**
            1. **Public health:** Vaccination protects the vulnerable.
            2. **Duty to others:** Individual choices affect the community.
            3. **Evidence:** Decades of data support it.
            """,
            "yes",
            3,
            "Public health",
            "Vaccination protects the vulnerable."
        ),
        new Case(
            "paren numbering",
            """
            Stance: no
            Key Points:
            1) Tradition: The festival binds the community together.
            2) Identity: It is part of who the town is.
            3) Tourism: Visitors come for it.
            """,
            "no",
            3,
            "Tradition",
            "The festival binds the community together."
        ),
        new Case(
            "dash bullets",
            """
            Stance: neutral
            Key Points:
            - Autonomy: Adults should decide for themselves.
            - Harm: Some choices hurt others.
            - Context: It depends on the setting.
            """,
            "neutral",
            3,
            "Autonomy",
            "Adults should decide for themselves."
        ),
        new Case(
            "star bullets with italics",
            """
            Stance: *Yes*
            Key Points:
            * *Innovation*: New firms bring new ideas.
            * *Competition*: Prices fall when incumbents are challenged.
            * _Choice_: Consumers get more options.
            """,
            "yes",
            3,
            "Innovation",
            "New firms bring new ideas.",
            "Consumers get more options."
        ),
        new Case(
            "markdown heading for key points",
            """
            ## Stance: No

            ### Key points
            1. Security: Open borders strain public services.
            2. Rule of law: Rules must be enforced to mean anything.
            3. Cohesion: Rapid change unsettles communities.
            """,
            "no",
            3,
            "Security",
            "Open borders strain public services."
        ),
        new Case(
            "header variant with parenthesis",
            """
            Stance: Yes
            Main points (most to least important):
            1. Achievement: Rewards motivate effort.
            2. Merit: Positions should go to the most able.
            """,
            "yes",
            2,
            "Achievement",
            "Rewards motivate effort."
        ),
        new Case(
            "chatter before and after",
            """
            Sure! Here's my take on this interesting question.

            Stance: Neutral
            Key Points:
            1. Freedom: People value being able to choose.
            2. Safety: Unregulated markets can harm consumers.
            3. Balance: Light rules can serve both goals.

            I hope this helps clarify my view. Let me know if you'd like more detail!
            """,
            "neutral",
            3,
            "Freedom",
            "People value being able to choose.",
            "Light rules can serve both goals."
        ),
        new Case(
            "fewer points than asked",
            """
            Stance: no
            Key Points:
            1. Cost: Far too expensive for what it delivers.
            2. Equity: It benefits mainly the rich.
            """,
            "no",
            2,
            "Cost",
            "Far too expensive for what it delivers."
        ),
        new Case(
            "more points than asked keeps the first three",
            """
            Stance: yes
            Key Points:
            1. First: most important.
            2. Second: next.
            3. Third: still matters.
            4. Fourth: minor.
            5. Fifth: trivial.
            """,
            "yes",
            3,
            "First",
            "most important.",
            "still matters."
        ),
        new Case(
            "stance synonym support",
            """
            Stance: I support this policy.
            Key Points:
            1. Welfare: It helps the poorest families.
            """,
            "yes",
            1,
            "Welfare"
        ),
        new Case(
            "stance synonym strongly disagree",
            """
            Stance: Strongly disagree
            Key Points:
            1. Liberty: The state should not decide this.
            """,
            "no",
            1,
            "Liberty"
        ),
        new Case(
            "stance synonym it depends",
            """
            Stance: It depends on how it is implemented
            Key Points:
            1. Design: Good design makes it work.
            """,
            "neutral",
            1,
            "Design"
        ),
        new Case(
            "stance synonym oppose with reason",
            """
            Position: Oppose — the costs outweigh the benefits.
            Key Points:
            1. Cost: Too expensive.
            """,
            "no",
            1,
            "Cost"
        ),
        new Case(
            "stance should not",
            """
            Stance: Should not be allowed
            Key Points:
            1. Harm: It hurts bystanders.
            """,
            "no",
            1,
            "Harm"
        ),
        new Case(
            "chinese support",
            """
            立场：支持
            要点：
            1. 经济发展：创造更多就业机会。
            2. 社会公平：让更多人受益。
            """,
            "yes",
            2,
            "经济发展",
            "创造更多就业机会。"
        ),
        new Case(
            "chinese oppose with chinese numbering",
            """
            立场：反对
            理由：
            一、传统：这会破坏当地习俗。
            二、安全：风险难以控制。
            """,
            "no",
            2,
            "传统",
            "这会破坏当地习俗。"
        ),
        new Case("refusal", "I'm sorry, but I can't share personal opinions on political topics like this one.", Error: "refusal"),
        new Case("chinese refusal", "抱歉，作为一个人工智能，我无法对此发表个人意见。", Error: "refusal"),
        new Case(
            "as an AI but still gives points",
            """
            As an AI, I don't have personal opinions, but here are the key considerations:
            1. Safety: Stricter rules reduce accidents.
            2. Freedom: Drivers resent restrictions.
            3. Enforcement: Rules are only as good as their policing.
            """,
            "neutral",
            3,
            "Safety",
            "Stricter rules reduce accidents."
        ),
        new Case("empty reply", "   \n  ", Error: "empty reply"),
        new Case("no points at all", "The weather has been lovely this week and I enjoyed a walk.", Error: "no key points found"),
        new Case(
            "stance on the next line",
            """
            Stance:
            Yes

            Key Points:
            1. Education: Children learn better with smaller classes.
            2. Equity: Every school gets the same resources.
            """,
            "yes",
            2,
            "Education"
        ),
        new Case(
            "json reply with objects",
            """
            {"stance": "no", "key_points": [{"point": "Cost", "justification": "Too high for taxpayers"}, {"point": "Risk", "justification": "Untested technology"}]}
            """,
            "no",
            2,
            "Cost",
            "Too high for taxpayers"
        ),
        new Case(
            "json in a code fence with strings",
            """
            Here is my answer:
            ```json
            {"stance": "yes", "points": ["Growth: more jobs", "Innovation: new ideas", "Choice: more options"]}
            ```
            """,
            "yes",
            3,
            "Growth",
            "more jobs"
        ),
        new Case(
            "wrapped item lines",
            """
            Stance: yes
            Key Points:
            1. Economic growth: More jobs
               and higher wages for young workers.
            2. Fairness: Equal access.
            """,
            "yes",
            2,
            "Economic growth",
            "More jobs and higher wages for young workers."
        ),
        new Case(
            "justification as nested bullet",
            """
            Stance: no
            Key Points:
            1. Economic growth
               - Justification: more jobs in the region.
            2. Fairness
               - Reason: equal access for everyone.
            """,
            "no",
            2,
            "Economic growth",
            "more jobs in the region."
        ),
        new Case(
            "point N prefix and dash separator",
            """
            Stance: yes
            Point 1: Economic growth - more jobs for young people.
            Point 2: Innovation - new ideas spread faster.
            """,
            "yes",
            2,
            "Economic growth",
            "more jobs for young people."
        ),
        new Case(
            "em dash separator",
            """
            Stance: no
            Key Points:
            1. Heritage — the old town is irreplaceable.
            2. Community — residents were never consulted.
            """,
            "no",
            2,
            "Heritage",
            "the old town is irreplaceable."
        ),
        new Case(
            "template stance echoed back",
            """
            Stance: yes/no/neutral
            Key Points:
            1. Security: Borders protect citizens.
            """,
            "neutral",
            1,
            "Security"
        ),
        new Case(
            "bold numbers",
            """
            Stance: No.
            **1.** Security: Weapons in homes raise the risk of accidents.
            **2.** Conformity: Most neighbours object.
            """,
            "no",
            2,
            "Security",
            "Weapons in homes raise the risk of accidents."
        ),
        new Case(
            "unnumbered labelled lines after header",
            """
            Stance: yes
            Key Points:
            Cost: Cheaper in the long run.
            Fairness: Everyone pays the same.
            """,
            "yes",
            2,
            "Cost",
            "Cheaper in the long run."
        ),
        new Case(
            "windows line endings",
            "Stance: no\r\nKey Points:\r\n1. Privacy: Data leaks happen.\r\n2. Consent: Nobody asked us.\r\n",
            "no",
            2,
            "Privacy",
            "Data leaks happen."
        ),
        new Case(
            "think block before the answer",
            """
            <think>
            The stance: probably no? Let me list: 1. cost 2. risk. Actually I lean yes.
            </think>
            Stance: yes
            Key Points:
            1. Progress: Research moves faster.
            2. Health: New treatments arrive sooner.
            3. Economy: High-skill jobs.
            """,
            "yes",
            3,
            "Progress",
            "Research moves faster."
        ),
        new Case(
            "indented paragraph continuation after blank line",
            """
            Stance: yes
            Key Points:
            1. Benevolence:

               Caring for neighbours builds trust.

            2. Universalism: Everyone deserves protection.
            """,
            "yes",
            2,
            "Benevolence",
            "Caring for neighbours builds trust."
        ),
        new Case(
            "uppercase header and leading yes without stance line",
            """
            Yes, I think this should happen.

            KEY POINTS:
            1. Opportunity: More people can start businesses.
            2. Mobility: Workers can move to where jobs are.
            """,
            "yes",
            2,
            "Opportunity",
            "More people can start businesses."
        ),
    ];

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Reads_the_reply(Case c)
    {
        var parse = OpinionPrompt.Parse(c.Reply, 3);
        if (c.Error is not null)
        {
            Assert.False(parse.Ok, $"expected a failure but read {parse.Value}");
            Assert.StartsWith(c.Error, parse.Error);
            return;
        }
        Assert.True(parse.Ok, parse.Error);
        var r = parse.Value!;
        Assert.Equal(c.Stance, r.Stance);
        Assert.Equal(c.Count, r.Opinions.Count);
        if (c.FirstPoint is not null)
            Assert.Equal(c.FirstPoint, r.Opinions[0].Point);
        if (c.FirstWhy is not null)
            Assert.Equal(c.FirstWhy, r.Opinions[0].Justification);
        if (c.LastWhy is not null)
            Assert.Equal(c.LastWhy, r.Opinions[^1].Justification);
        Assert.All(r.Opinions, o => Assert.DoesNotContain("*", o.Text));
    }

    [Fact]
    public void The_corpus_is_large_enough() => Assert.True(Corpus.Count >= 25);

    [Fact]
    public void Notes_what_it_forgave()
    {
        var parse = OpinionPrompt.Parse("Key Points:\n1. A: x\n2. B: y\n3. C: z\n4. D: w", 3);
        Assert.True(parse.Ok);
        Assert.Contains(parse.Notes, n => n.Contains("no stance", StringComparison.Ordinal));
        Assert.Contains(parse.Notes, n => n.Contains("kept the first 3", StringComparison.Ordinal));
    }

    [Fact]
    public void The_prompt_asks_for_the_format_the_parser_reads()
    {
        var text = OpinionPrompt.Render("Should zoos be abolished?", 3, 250)[0].Text;
        Assert.Contains("Should zoos be abolished?", text);
        Assert.Contains("under 250 words", text);
        // The template's own example must not parse as an answer with real points beyond placeholders.
        var echoed = OpinionPrompt.Parse(text[text.IndexOf("Stance:", StringComparison.Ordinal)..], 3);
        Assert.True(echoed.Ok);
        Assert.Equal(3, echoed.Value!.Opinions.Count);
        Assert.Equal("neutral", echoed.Value.Stance);
    }

    [Fact]
    public void Fields_follow_the_role_contract()
    {
        var f = OpinionPrompt.Fields("Q?", 4);
        Assert.Equal("Q?", f.GetProperty("question").GetString());
        Assert.Equal(4, f.GetProperty("opinions").GetInt32());
    }
}
