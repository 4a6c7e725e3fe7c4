using Adaem.Core.Configuration;

namespace Adaem.Core.Generation;

/// <summary>
/// The dedup threshold ε per similarity backend, used when `generation.dedup_threshold` is not set. The
/// paper's 0.85 (App. C.2, Table 6) belongs to its own sentence-embedding model: cosines of another
/// similarity live on another scale, so one number cannot mean "a reworded repeat" for all of them. Each
/// default is the threshold with the best F1 on adaem's hand-written paraphrase set
/// (tests/Adaem.Tests/Data/paraphrases.tsv) among those whose precision is at least 0.9: a dropped question
/// is lost to the run, and the explorers write topic-close variants by design, so a related question must
/// survive. Measurements in docs/method-choices.md C4.
/// </summary>
public static class DedupThresholds
{
    /// <summary>The paper's ε, kept for embedding models adaem has not measured (remote APIs).</summary>
    public const double Paper = 0.85;

    /// <summary>
    /// The local hashed n-gram cosine (<see cref="NgramVectorizer"/>). No threshold reaches precision 0.9 with
    /// any recall on the paraphrase set (reworded questions share few content words), so it keeps the
    /// paper's value and catches near-verbatim repeats only.
    /// </summary>
    public const double Ngram = Paper;

    /// <summary>The built-in all-MiniLM-L6-v2 encoder (provider local).</summary>
    public const double MiniLm = 0.65;

    /// <summary>The threshold a run uses: the config's, or the default of its backend.</summary>
    public static double Resolve(AdaemConfig config) => config.Generation.DedupThreshold ?? Default(config);

    /// <summary>The default of the run's similarity backend: the embedding model's when one is configured, else the n-gram cosine's.</summary>
    public static double Default(AdaemConfig config)
    {
        if (config.Embeddings.Model is not { } name || !config.Models.TryGetValue(name, out var model)) return Ngram;
        return model.Provider == ProviderKinds.Local ? ForLocal(model.Model ?? "") : Paper;
    }

    /// <summary>The default for a built-in encoder; the paper's value for a name adaem has not measured.</summary>
    public static double ForLocal(string encoder) => encoder switch
    {
        "all-MiniLM-L6-v2" => MiniLm,
        _ => Paper,
    };
}
