namespace Adaem.Pipeline;

/// <summary>How a <see cref="Study"/> is opened: which run, where its files go, and (for tests and other harnesses) whose models.</summary>
public sealed record StudyOptions
{
    /// <summary>The run's name (default 'main'): a folder under out/ and a key in the store.</summary>
    public string? Run { get; init; }

    /// <summary>The run's output folder (default: out/RUN beside the config).</summary>
    public string? OutDirectory { get; init; }

    /// <summary>An instrument (target, judge, generator pool, theory) that changed since the run started is accepted and what it
    /// affects asked again, instead of stopping the stage.</summary>
    public bool AcceptChanges { get; init; }

    /// <summary>The stages' model pool (default: the config's models in the call engine).</summary>
    public ModelPoolFactory? Models { get; init; }

    /// <summary>Generation's opinion judging (default: OpinionJudging with the generation judge).</summary>
    public OpinionJudgingFactory? GenerationJudging { get; init; }
}

/// <summary>Options of <see cref="Study.GenerateAsync"/>.</summary>
/// <param name="Budget">Bandit steps B (default: generation.budget); a larger budget extends a finished run.</param>
public sealed record GenerateOptions(int? Budget = null);

/// <summary>Options of <see cref="Study.ReportAsync"/>.</summary>
/// <param name="Permutations">Sign flips per model pair in the distance significance test (at least 99).</param>
public sealed record ReportOptions(int Permutations = 999);
