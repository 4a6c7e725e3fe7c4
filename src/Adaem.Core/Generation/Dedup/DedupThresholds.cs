using Adaem.Core.Configuration;

namespace Adaem.Core.Generation;

/// <summary>
/// The dedup threshold ε per similarity backend, used when `generation.dedup_threshold` is not set. The
/// paper's 0.85 (Table 6) was set for a sentence-embedding cosine (the reference code's encoder); cosines of
/// another similarity live on another scale, so each backend's default is measured on adaem's hand-written pair
/// set (tests/Adaem.Tests/Data/paraphrases.tsv) by one rule: the lowest threshold, in steps of 0.05, that
/// drops at most one in five "narrower" pairs (the same issue narrowed to a country, group, period or
/// condition: what AdAEM's exploration step writes, and must keep) and no related or unrelated pair.
/// Neither backend separates a reworded repeat from a narrowed variant by cosine alone, so a lower
/// threshold would starve the loop of the questions it exists to find. Measurements: docs/method-choices.md C4.
/// </summary>
public static class DedupThresholds
{
    /// <summary>The paper's ε, kept for embedding models adaem has not measured (remote APIs).</summary>
    public const double Paper = 0.85;

    /// <summary>The local hashed n-gram cosine (<see cref="NgramVectorizer"/>): catches near-verbatim repeats only.</summary>
    public const double Ngram = 0.85;

    /// <summary>The built-in all-MiniLM-L6-v2 encoder (provider local): also catches the closest rewordings.</summary>
    public const double MiniLm = 0.85;

    /// <summary>The step of the threshold grid the defaults are chosen on.</summary>
    public const double GridStep = 0.05;

    /// <summary>The largest share of narrower pairs a default may drop.</summary>
    public const double MaxNarrowerDropped = 0.2;

    /// <summary>The threshold a run uses: the config's, or the default of its backend.</summary>
    public static double Resolve(AdaemConfig config) => config.Generation.DedupThreshold ?? Default(config);

    /// <summary>The default of the run's similarity backend: the embedding model's when one is configured, else the n-gram
    /// cosine's.</summary>
    public static double Default(AdaemConfig config)
    {
        if (config.Embeddings.Model is not { } name || !config.Models.TryGetValue(name, out var model))
            return Ngram;
        return model.Provider == ProviderKinds.Local ? ForLocal(model.Model ?? "") : Paper;
    }

    /// <summary>The default for a built-in encoder; the paper's value for a name adaem has not measured.</summary>
    public static double ForLocal(string encoder) =>
        encoder switch
        {
            "all-MiniLM-L6-v2" => MiniLm,
            _ => Paper,
        };
}
