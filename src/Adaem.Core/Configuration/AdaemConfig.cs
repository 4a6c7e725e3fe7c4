namespace Adaem.Core.Configuration;

/// <summary>Provider kinds the config accepts.</summary>
public static class ProviderKinds
{
    public const string OpenAI = "openai";
    public const string OpenAICompatible = "openai-compatible";
    public const string Ollama = "ollama";
    public const string Anthropic = "anthropic";
    public const string AzureOpenAI = "azure-openai";
    public const string Simulated = "simulated";

    /// <summary>A sentence encoder built into adaem, run in-process (embeddings only, no chat).</summary>
    public const string Local = "local";

    public static readonly IReadOnlyList<string> All = [OpenAI, OpenAICompatible, Ollama, Anthropic, AzureOpenAI, Simulated, Local];

    /// <summary>
    /// The sentence encoders <see cref="Local"/> ships (model names as in the config). The names live here so
    /// the config can be checked without loading a provider; Adaem.Providers.Local implements each of them.
    /// </summary>
    public static readonly IReadOnlyList<string> LocalModels = ["all-MiniLM-L6-v2"];
}

/// <summary>One model the run may call, by its local name. <see cref="Line"/> is where it is declared.</summary>
public sealed record ModelConfig
{
    public required string Name { get; init; }
    public required string Provider { get; init; }
    public string? Model { get; init; }

    /// <summary>The endpoint, or the first of <see cref="BaseUrls"/> when base_url lists replicas.</summary>
    public string? BaseUrl { get; init; }

    /// <summary>
    /// Every server of this model as configured: empty without base_url, one URL for a string, several for a list
    /// of replicas (several servers of the same model; calls go to the one with the fewest in flight).
    /// </summary>
    public IReadOnlyList<string> BaseUrls { get; init; } = [];

    /// <summary>True when base_url lists two or more servers.</summary>
    public bool Replicated => BaseUrls.Count > 1;
    public string? ApiKeyEnv { get; init; }
    public int? ApiKeyEnvLine { get; init; }

    /// <summary>Azure deployment name; other providers ignore it.</summary>
    public string? Deployment { get; init; }
    public string? ApiVersion { get; init; }

    /// <summary>Simulated respondents only: latent priority per value code, in [0, 1].</summary>
    public IReadOnlyDictionary<string, double>? Profile { get; init; }

    /// <summary>Simulated respondents only: how often an opinion strays from the profile, in [0, 1].</summary>
    public double? Noise { get; init; }
    public int? Concurrency { get; init; }
    public int? Rpm { get; init; }
    public int? Tpm { get; init; }
    public double? TimeoutSeconds { get; init; }
    public int? MaxRetries { get; init; }
    public double? Temperature { get; init; }
    public double? TopP { get; init; }
    public int? MaxTokens { get; init; }
    public long? Seed { get; init; }

    /// <summary>Stop the run at the first quota error (402, or a 429 that says the quota is exhausted).</summary>
    public bool FailFastOnQuota { get; init; } = true;

    /// <summary>Send this model's calls through the provider's batch API (openai, azure-openai, anthropic); see <see
    /// cref="BatchConfig"/>.</summary>
    public BatchConfig? Batch { get; init; }

    /// <summary>
    /// Simulated respondents only: per language (a shipped tag), an amount added to the priority of some values
    /// when the model is asked in that language (clamped to [0, 1]), so a language effect exists offline.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>>? LanguageBias { get; init; }
    public int Line { get; init; }
}

public sealed record JudgeConfig(string Model, string Mode, int Line)
{
    public const string Batched = "batched";
    public const string PerValue = "per-value";
}

public sealed record EmbeddingsConfig(string? Model, int Line);

public sealed record GenerationConfig
{
    public string Seeds { get; init; } = "builtin";

    /// <summary>The line of generation.seeds in the config (null when absent).</summary>
    public int? SeedsLine { get; init; }

    /// <summary>How many new seed topics a model proposes before the run (the paper's Listing 1); 0 = no expansion.</summary>
    public int ExpandSeeds { get; init; }

    /// <summary>The model that proposes them; null = the first explorer.</summary>
    public string? Expander { get; init; }

    /// <summary>The most seeds one expansion may add.</summary>
    public const int MaxExpandSeeds = 10_000;
    public IReadOnlyList<string> Explorers { get; init; } = [];

    /// <summary>Earlier benchmarks whose questions no new question may repeat: question files, bundle folders, or "run:NAME" in the same
    /// store.</summary>
    public IReadOnlyList<string> Exclude { get; init; } = [];
    public int? ExcludeLine { get; init; }

    /// <summary>A hint for the explorers' context prompt (e.g. "events after June 2026"); a prompt hint, not a guarantee.</summary>
    public string? Period { get; init; }
    public IReadOnlyList<string> Scorers { get; init; } = [];

    /// <summary>Judge used inside the loop; defaults to the top-level judge.</summary>
    public string? Judge { get; init; }
    public int Budget { get; init; } = 1500;

    /// <summary>The most bandit steps a run can take: each step is one block of 10,000 sample indices (StructuredReply.Sample).</summary>
    public const int MaxBudget = 200_000;
    public int QuestionsPerStep { get; init; } = 3;

    /// <summary>k: bandit steps played at once per round; 1 = the paper's sequential Algorithm 2 (see
    /// Generation.TopicBandit.ChooseRound).</summary>
    public int ArmsPerRound { get; init; } = 1;

    /// <summary>The most steps one round may play at once.</summary>
    public const int MaxArmsPerRound = 64;
    public int FewShot { get; init; } = 5;
    public int MaxRefinements { get; init; } = 3;
    public double RefineThreshold { get; init; } = 0.5;

    /// <summary>ε; null = the default of the run's similarity backend (<see cref="Generation.DedupThresholds"/>).</summary>
    public double? DedupThreshold { get; init; }
    public int DedupTopK { get; init; } = 3;
    public double Beta { get; init; } = 1.0;

    /// <summary>+1: reward opinions whose values differ from the question's own (Eq. 1); -1: App. C.3's "- 1/2 R_Dis".</summary>
    public int DisentanglementSign { get; init; } = 1;
    public int? MaxArms { get; init; }
    public int? SelectTop { get; init; }
    public double? SelectThreshold { get; init; }
    public string? SafetyModel { get; init; }
    public int Opinions { get; init; } = 3;
    public long Seed { get; init; } = 1;

    /// <summary>The language generation asks and reads in: a shipped BCP-47 tag or a language folder's full path (generation.language, else
    /// the top-level language).</summary>
    public string Language { get; init; } = Prompts.Languages.PromptLanguages.DefaultCode;
    public int Line { get; init; }
}

public sealed record EvaluationConfig
{
    public IReadOnlyList<string> Targets { get; init; } = [];
    public int Opinions { get; init; } = 3;
    public int Samples { get; init; } = 1;
    public double Mu { get; init; } = 25.0;
    public double Sigma { get; init; } = 25.0 / 3;
    public double BetaTrueSkill { get; init; } = 25.0 / 6;
    public double Tau { get; init; } = 25.0 / 300;
    public double DrawProbability { get; init; } = 0.10;
    public int Orderings { get; init; } = 32;
    public int Bootstrap { get; init; } = 1000;
    public double Confidence { get; init; } = 0.95;
    public long Seed { get; init; } = 1;

    /// <summary>Questions longer than this many characters are evaluated with a warning (each is sent whole to every target).</summary>
    public int QuestionWarnChars { get; init; } = DefaultQuestionWarnChars;

    /// <summary>Questions longer than this many characters stop the command before any call.</summary>
    public int QuestionMaxChars { get; init; } = DefaultQuestionMaxChars;
    public const int DefaultQuestionWarnChars = 2_000;
    public const int DefaultQuestionMaxChars = 20_000;

    /// <summary>The largest question_max_chars accepted (about a quarter of a million tokens).</summary>
    public const int LargestQuestionMaxChars = 1_000_000;

    /// <summary>The language targets are asked and judged in: a shipped BCP-47 tag or a language folder's full path (evaluation.language,
    /// else the top-level language).</summary>
    public string Language { get; init; } = Prompts.Languages.PromptLanguages.DefaultCode;

    /// <summary>
    /// evaluation.languages: evaluate every target in each of these languages (shipped tags or language folders' full
    /// paths, at least two, each once) on the same questions, translated by <see cref="Translator"/>; empty for one language.
    /// </summary>
    public IReadOnlyList<string> Languages { get; init; } = [];

    /// <summary>The line of evaluation.languages (null when absent).</summary>
    public int? LanguagesLine { get; init; }

    /// <summary>
    /// evaluation.translator: the model that translates the questions into each evaluation language that is not theirs,
    /// and the English seeds into generation's language; null when none is configured.
    /// </summary>
    public string? Translator { get; init; }
    public int Line { get; init; }
}

/// <summary>The whole adaem.yaml, validated. Paths are resolved against the config's directory.</summary>
public sealed record AdaemConfig
{
    public required string Path { get; init; }
    public required string Directory { get; init; }

    /// <summary>SHA-256 of the config text, for provenance.</summary>
    public required string Hash { get; init; }
    public required string StorePath { get; init; }
    public required string Theory { get; init; }
    public required IReadOnlyDictionary<string, ModelConfig> Models { get; init; }
    public JudgeConfig? Judge { get; init; }
    public EmbeddingsConfig Embeddings { get; init; } = new(null, 0);
    public GenerationConfig Generation { get; init; } = new();
    public EvaluationConfig Evaluation { get; init; } = new();
    public string? PricingPath { get; init; }

    /// <summary>The lines of 'theory:' and 'pricing:' in the config (null when absent), for messages about the files they name.</summary>
    public int? TheoryLine { get; init; }
    public int? PricingLine { get; init; }

    /// <summary>The top-level language (a shipped tag or a language folder's full path); the stages' own are in <see
    /// cref="GenerationConfig.Language"/> and <see cref="EvaluationConfig.Language"/>.</summary>
    public string Language { get; init; } = Prompts.Languages.PromptLanguages.DefaultCode;

    public string Resolve(string relative) =>
        System.IO.Path.IsPathRooted(relative) ? relative : System.IO.Path.GetFullPath(System.IO.Path.Combine(Directory, relative));
}
