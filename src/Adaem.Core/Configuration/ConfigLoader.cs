using System.Security.Cryptography;
using System.Text;
using Adaem.Core.Data;
using Adaem.Core.Errors;
using YamlDotNet.RepresentationModel;

namespace Adaem.Core.Configuration;

/// <summary>Reads and validates adaem.yaml. Every problem names the file and line and says how to fix it.</summary>
public static class ConfigLoader
{
    /// <summary>Keys that address a remote server, which a model run in-process (provider local) must not have.</summary>
    private static readonly string[] RemoteOnlyKeys = ["base_url", "api_key_env", "deployment", "api_version"];

    private static readonly string[] TopKeys =
    [
        "store",
        "theory",
        "language",
        "models",
        "judge",
        "embeddings",
        "generation",
        "evaluation",
        "pricing",
    ];

    private static readonly string[] ModelKeys =
    [
        "provider",
        "model",
        "base_url",
        "api_key_env",
        "deployment",
        "api_version",
        "profile",
        "noise",
        "concurrency",
        "rpm",
        "tpm",
        "timeout_s",
        "max_retries",
        "temperature",
        "top_p",
        "max_tokens",
        "seed",
        "fail_fast_on_quota",
        "batch",
        "language_bias",
        .. BatchConfig.Keys,
    ];

    private static readonly string[] GenerationKeys =
    [
        "seeds",
        "expand_seeds",
        "expander",
        "exclude",
        "period",
        "explorers",
        "scorers",
        "judge",
        "budget",
        "arms_per_round",
        "questions_per_step",
        "few_shot",
        "max_refinements",
        "refine_threshold",
        "dedup_threshold",
        "dedup_top_k",
        "beta",
        "disentanglement_sign",
        "max_arms",
        "select_top",
        "select_threshold",
        "safety_model",
        "opinions",
        "seed",
        "language",
    ];

    private static readonly string[] EvaluationKeys =
    [
        "targets",
        "opinions",
        "samples",
        "mu",
        "sigma",
        "beta",
        "tau",
        "draw_probability",
        "orderings",
        "bootstrap",
        "confidence",
        "seed",
        "question_warn_chars",
        "question_max_chars",
        "language",
        "languages",
        "translator",
    ];

    public static AdaemConfig Load(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new InputException(full, null, "config file not found", "create one with 'adaem init' or pass the right path with -c");
        }
        return Parse(Utf8Text.Read(full), full, checkFiles: true);
    }

    /// <summary>Parses and validates config text; the files it names (theory, pricing) are not looked for.</summary>
    public static AdaemConfig Parse(string text, string path) => Parse(text, path, checkFiles: false);

    /// <param name="checkFiles">Also check that the theory and pricing files the config names exist, reporting a
    /// missing one at the config's line that names it (seeds are checked when generation loads them).</param>
    private static AdaemConfig Parse(string text, string path, bool checkFiles)
    {
        var problems = new List<InputProblem>();
        var root = new YamlSection(YamlFile.LoadMapping(text, path), path, "", problems);
        root.RejectUnknown(TopKeys);
        var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) ?? ".";

        var models = ReadModels(root, problems);
        var judge = ReadJudge(root, models);
        var embSection = root.Raw("embeddings");
        EmbeddingsConfig embeddings = new(null, 0);
        if (embSection is not null)
        {
            var e = root.Section("embeddings");
            if (e is not null)
            {
                e.RejectUnknown(["model"]);
                var m = e.String("model");
                if (m is not null && m != "none" && !models.ContainsKey(m))
                    e.Problem(e.LineOf("model"), $"embeddings.model '{m}' names no model", $"use 'none' or one of: {Names(models)}");
                embeddings = new EmbeddingsConfig(m is null or "none" ? null : m, e.Line);
            }
        }

        var language = ReadLanguage(root, "language", dir, Prompts.Languages.PromptLanguages.DefaultCode, checkFiles);
        var generationSection = root.Section("generation");
        var generation = ReadGeneration(generationSection, models) with
        {
            Language = ReadLanguage(generationSection, "language", dir, language, checkFiles),
        };
        var evaluationSection = root.Section("evaluation");
        var evaluation = ReadEvaluation(evaluationSection, models) with
        {
            Language = ReadLanguage(evaluationSection, "language", dir, language, checkFiles),
        };
        if (evaluationSection is not null)
            evaluation = CrossLingualConfig.Read(evaluationSection, evaluation, generation.Language, models, dir, checkFiles);

        var theoryName = root.String("theory") ?? "schwartz10";
        var pricing = root.String("pricing");
        if (checkFiles)
            CheckFiles(root, dir, theoryName, pricing);
        if (problems.Count == 0)
            CheckProfiles(theoryName, dir, models, root);
        if (problems.Count > 0)
            throw new InputException(problems);

        var store = root.String("store") ?? "adaem.db";
        return new AdaemConfig
        {
            Path = System.IO.Path.GetFullPath(path),
            Directory = dir,
            Hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))),
            StorePath = System.IO.Path.GetFullPath(System.IO.Path.Combine(dir, store)),
            Theory = theoryName,
            Models = models,
            Judge = judge,
            Embeddings = embeddings,
            Generation = generation,
            Evaluation = evaluation,
            PricingPath = pricing is null ? null : System.IO.Path.GetFullPath(System.IO.Path.Combine(dir, pricing)),
            TheoryLine = root.Has("theory") ? root.LineOf("theory") : null,
            PricingLine = root.Has("pricing") ? root.LineOf("pricing") : null,
            Language = language,
        };
    }

    /// <summary>
    /// A language key (top level, generation.language, evaluation.language): a shipped BCP-47 tag (returned as the
    /// shipped tag) or a language folder (returned as its full path, its files checked). An unknown tag or a bad
    /// folder is a problem of this line naming the shipped languages and how to add one. Without
    /// <paramref name="checkFiles"/> a folder is resolved but not read.
    /// </summary>
    private static string ReadLanguage(YamlSection? section, string key, string dir, string inherited, bool checkFiles)
    {
        if (section?.String(key) is not { } value)
            return inherited;
        return ResolveLanguage(section, section.Qualified(key), value, section.LineOf(key), dir, checkFiles) ?? inherited;
    }

    /// <summary>
    /// One language value written at <paramref name="line"/>: the shipped tag it names, or a language folder's full
    /// path; null (and a problem of that line) when it names neither.
    /// </summary>
    internal static string? ResolveLanguage(YamlSection section, string what, string value, int line, string dir, bool checkFiles)
    {
        if (!checkFiles && Prompts.Languages.PromptLanguages.IsPath(value))
            return System.IO.Path.GetFullPath(System.IO.Path.Combine(dir, value));
        try
        {
            var language = Prompts.Languages.PromptLanguages.Get(value, dir, section.File, line);
            return language.Source == Prompts.Languages.PromptLanguages.BuiltInSource ? language.Code : language.Source;
        }
        catch (InputException e)
        {
            foreach (var p in e.Problems)
            {
                // Problems inside a language folder's own files keep their file and line; the rest belong to this line.
                if (p.File == section.File)
                    section.Problem(line, p.Message, p.Fix);
                else
                    section.Problem(line, $"{what} '{value}': {p}", null);
            }
            return null;
        }
    }

    /// <summary>A theory or pricing file that is not there is a problem of the config line that names it.</summary>
    private static void CheckFiles(YamlSection root, string dir, string theory, string? pricing)
    {
        if (!Theory.TheoryLoader.BuiltIn.Contains(theory))
        {
            var path = System.IO.Path.GetFullPath(System.IO.Path.Combine(dir, theory));
            if (!File.Exists(path))
                root.Problem(
                    root.LineOf("theory"),
                    $"theory '{theory}' is neither built in nor a file (looked for {path})",
                    $"use one of {string.Join(", ", Theory.TheoryLoader.BuiltIn)}, or correct the path of your theory YAML (relative to the config's folder)"
                );
        }
        if (pricing is not null)
        {
            var path = System.IO.Path.GetFullPath(System.IO.Path.Combine(dir, pricing));
            if (!File.Exists(path))
                root.Problem(
                    root.LineOf("pricing"),
                    $"pricing file '{pricing}' is not there (looked for {path})",
                    "create it (see examples/pricing.yaml), correct the path (relative to the config's folder), or remove 'pricing:'"
                );
        }
    }

    /// <summary>
    /// Checks that every model a stage will call has its secret in the environment. Called when a stage
    /// starts, so a config with unused cloud models still works offline.
    /// </summary>
    public static void RequireSecrets(AdaemConfig config, IEnumerable<string> modelNames, Func<string, string?>? getEnv = null)
    {
        getEnv ??= Environment.GetEnvironmentVariable;
        var problems = new List<InputProblem>();
        foreach (var name in modelNames.Distinct())
        {
            if (!config.Models.TryGetValue(name, out var m) || m.ApiKeyEnv is null)
                continue;
            if (string.IsNullOrEmpty(getEnv(m.ApiKeyEnv)))
            {
                problems.Add(
                    new InputProblem(
                        config.Path,
                        m.ApiKeyEnvLine ?? m.Line,
                        $"model '{name}' needs the environment variable {m.ApiKeyEnv}, which is not set",
                        $"export {m.ApiKeyEnv}=... before running, or remove '{name}' from this stage"
                    )
                );
            }
        }
        if (problems.Count > 0)
            throw new InputException(problems);
    }

    /// <summary>Simulated profiles must speak of the theory's own values.</summary>
    private static void CheckProfiles(string theoryName, string dir, IReadOnlyDictionary<string, ModelConfig> models, YamlSection root)
    {
        if (models.Values.All(m => m.Profile is null && m.LanguageBias is null))
            return;
        Theory.ValueTheory theory;
        try
        {
            theory = Theory.TheoryLoader.Load(theoryName, dir);
        }
        catch (InputException e)
        {
            foreach (var p in e.Problems)
                root.Problem(p.Line ?? root.LineOf("theory"), p.Message, p.Fix);
            return;
        }
        var models_ = root.Section("models");
        foreach (var m in models.Values.Where(m => m.Profile is not null || m.LanguageBias is not null))
        {
            var p = models_?.Section(m.Name)?.Section("profile");
            foreach (var code in (m.Profile?.Keys ?? []).Where(k => theory.IndexOf(k) < 0))
                root.Problem(
                    p?.LineOf(code) ?? m.Line,
                    $"profile of '{m.Name}' names '{code}', which is not a value of {theory.Code}",
                    $"use value codes of the theory: {string.Join(", ", theory.Values.Select(v => v.Code))}"
                );
            if (models_?.Section(m.Name)?.Section("language_bias") is not { } bias)
                continue;
            foreach (var tag in bias.Keys)
            {
                if (bias.Section(tag) is not { } values)
                    continue;
                foreach (var code in values.Keys.Where(k => theory.IndexOf(k) < 0))
                    root.Problem(
                        values.LineOf(code),
                        $"language_bias of '{m.Name}' names '{code}', which is not a value of {theory.Code}",
                        $"use value codes of the theory: {string.Join(", ", theory.Values.Select(v => v.Code))}"
                    );
            }
        }
    }

    private static Dictionary<string, ModelConfig> ReadModels(YamlSection root, List<InputProblem> problems)
    {
        var models = new Dictionary<string, ModelConfig>(StringComparer.Ordinal);
        var section = root.Section("models");
        if (section is null)
        {
            if (!root.Has("models"))
                root.Problem(1, "'models' is missing", "add a 'models:' mapping; 'adaem init' writes an example");
            return models;
        }
        foreach (var name in section.Keys)
        {
            var m = section.Section(name);
            if (m is null)
                continue;
            m.RejectUnknown(ModelKeys);
            var provider = m.RequiredString("provider", $"set provider to one of: {string.Join(", ", ProviderKinds.All)}");
            if (provider.Length > 0 && !ProviderKinds.All.Contains(provider))
                m.Problem(
                    m.LineOf("provider"),
                    $"unknown provider '{provider}' for model '{name}'",
                    $"use one of: {string.Join(", ", ProviderKinds.All)}"
                );

            var model = m.String("model");
            var baseUrls = ReadBaseUrls(m, name);
            var baseUrl = baseUrls.Count > 0 ? baseUrls[0] : null;
            switch (provider)
            {
                case ProviderKinds.OpenAI or ProviderKinds.Anthropic:
                    if (model is null)
                        m.Problem(m.Line, $"model '{name}' ({provider}) needs 'model:'", "add e.g. model: gpt-4o");
                    if (m.String("api_key_env") is null)
                        m.Problem(
                            m.Line,
                            $"model '{name}' ({provider}) needs 'api_key_env:'",
                            "name the environment variable that holds the key, e.g. api_key_env: OPENAI_API_KEY"
                        );
                    break;
                case ProviderKinds.OpenAICompatible:
                    if (model is null)
                        m.Problem(m.Line, $"model '{name}' (openai-compatible) needs 'model:'", "add the served model id");
                    if (!m.Has("base_url"))
                        m.Problem(
                            m.Line,
                            $"model '{name}' (openai-compatible) needs 'base_url:'",
                            "add e.g. base_url: \"http://127.0.0.1:8000/v1\""
                        );
                    break;
                case ProviderKinds.Ollama:
                    if (model is null)
                        m.Problem(m.Line, $"model '{name}' (ollama) needs 'model:'", "add e.g. model: \"llama3.1:8b\"");
                    break;
                case ProviderKinds.Local:
                    if (model is null)
                        m.Problem(
                            m.Line,
                            $"model '{name}' (local) needs 'model:'",
                            $"name a built-in encoder: {string.Join(", ", ProviderKinds.LocalModels)}"
                        );
                    else if (!ProviderKinds.LocalModels.Contains(model))
                        m.Problem(
                            m.LineOf("model"),
                            $"model '{name}' (local) names '{model}', which is not a built-in encoder",
                            $"use one of: {string.Join(", ", ProviderKinds.LocalModels)}"
                        );
                    foreach (var remote in RemoteOnlyKeys.Where(m.Has))
                        m.Problem(
                            m.LineOf(remote),
                            $"'{remote}' does not apply to model '{name}' (local): it runs in-process",
                            "remove it"
                        );
                    break;
                case ProviderKinds.AzureOpenAI:
                    if (!m.Has("base_url"))
                        m.Problem(
                            m.Line,
                            $"model '{name}' (azure-openai) needs 'base_url:'",
                            "add your resource endpoint, e.g. https://NAME.openai.azure.com/"
                        );
                    if (m.String("deployment") is null && model is null)
                        m.Problem(m.Line, $"model '{name}' (azure-openai) needs 'deployment:'", "add the deployment name");
                    if (m.String("api_key_env") is null)
                        m.Problem(
                            m.Line,
                            $"model '{name}' (azure-openai) needs 'api_key_env:'",
                            "name the environment variable that holds the key"
                        );
                    break;
            }

            Dictionary<string, double>? profile = null;
            if (m.Section("profile") is { } p)
            {
                if (provider != ProviderKinds.Simulated)
                    p.Problem(p.Line, "'profile' only applies to provider: simulated", "remove it");
                profile = new Dictionary<string, double>(StringComparer.Ordinal);
                foreach (var key in p.Keys)
                {
                    if (p.Double(key, 0, 1) is { } v)
                        profile[key] = v;
                }
            }

            var languageBias = ReadLanguageBias(m, name, provider);

            models[name] = new ModelConfig
            {
                Name = name,
                Provider = provider,
                Model = model,
                BaseUrl = baseUrl,
                BaseUrls = baseUrls,
                ApiKeyEnv = m.String("api_key_env"),
                ApiKeyEnvLine = m.Has("api_key_env") ? m.LineOf("api_key_env") : null,
                Deployment = m.String("deployment"),
                ApiVersion = m.String("api_version"),
                Profile = profile,
                Noise = m.Double("noise", 0, 1),
                Concurrency = m.Int("concurrency", 1, 1024),
                Rpm = m.Int("rpm", 1),
                Tpm = m.Int("tpm", 1),
                TimeoutSeconds = m.Double("timeout_s", 0.001),
                MaxRetries = m.Int("max_retries", 0, 100),
                Temperature = m.Double("temperature", 0, 2),
                TopP = m.Double("top_p", 0, 1),
                MaxTokens = m.Int("max_tokens", 1),
                Seed = m.Int("seed"),
                FailFastOnQuota = m.Bool("fail_fast_on_quota") ?? true,
                Batch = BatchConfig.Read(m, name, provider),
                LanguageBias = languageBias,
                Line = section.LineOf(name),
            };
            // A provider's batch API is one service; replicas are servers of one's own, asked call by call.
            if (models[name].Batch is not null && baseUrls.Count > 1)
                m.Problem(
                    m.LineOf("batch"),
                    $"model '{name}' lists {baseUrls.Count} servers in base_url and batch: true, which do not go together",
                    "remove batch: true (replicas take calls one by one), or give the model one base_url"
                );
        }
        return models;
    }

    /// <summary>language_bias of a simulated model: { TAG: { value: amount in [-1, 1] } } with shipped tags (value codes are checked
    /// against the theory later).</summary>
    private static Dictionary<string, IReadOnlyDictionary<string, double>>? ReadLanguageBias(YamlSection m, string name, string provider)
    {
        if (m.Section("language_bias") is not { } section)
            return null;
        if (provider != ProviderKinds.Simulated)
            section.Problem(section.Line, "'language_bias' only applies to provider: simulated", "remove it");
        var bias = new Dictionary<string, IReadOnlyDictionary<string, double>>(StringComparer.Ordinal);
        foreach (var tag in section.Keys)
        {
            var code = Prompts.Languages.PromptLanguages.MatchShipped(tag);
            if (code is null)
            {
                section.Problem(
                    section.LineOf(tag),
                    $"language_bias of '{name}' names '{tag}', which is not a shipped language",
                    $"use one of: {string.Join(", ", Prompts.Languages.PromptLanguages.Shipped)}"
                );
                continue;
            }
            if (bias.ContainsKey(code))
            {
                section.Problem(section.LineOf(tag), $"language_bias of '{name}' names {code} twice", "give each language one entry");
                continue;
            }
            var values = section.Section(tag);
            var amounts = new Dictionary<string, double>(StringComparer.Ordinal);
            if (values is not null)
            {
                foreach (var value in values.Keys)
                    if (values.Double(value, -1, 1) is { } amount)
                        amounts[value] = amount;
            }
            bias[code] = amounts;
        }
        return bias;
    }

    /// <summary>
    /// base_url as one URL or a list of replicas (several servers of the same model). Each must be an absolute
    /// http(s) URL; a list must not be empty or name one server twice. Problems are reported at the line of the
    /// URL itself, and never quote it: a base URL may carry a key, and these messages are printed.
    /// </summary>
    private static IReadOnlyList<string> ReadBaseUrls(YamlSection m, string name)
    {
        var raw = m.Raw("base_url");
        if (raw is null)
            return [];
        IReadOnlyList<(string Value, int Line)> items;
        if (raw is YamlSequenceNode seq)
        {
            if (seq.Children.Count == 0)
            {
                m.Problem(
                    m.LineOf("base_url"),
                    $"base_url of model '{name}' is an empty list",
                    "list at least one server, e.g. base_url: [\"http://10.0.0.1:8000/v1\", \"http://10.0.0.2:8000/v1\"], or write one URL as a string"
                );
                return [];
            }
            items = m.List("base_url") ?? [];
        }
        else
        {
            var single = m.String("base_url");
            if (single is null)
                return [];
            items = [(single, m.LineOf("base_url"))];
        }
        var urls = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var list = items.Count > 1 || raw is YamlSequenceNode;
        for (var i = 0; i < items.Count; i++)
        {
            var (value, line) = items[i];
            var which = list ? $"base_url {i + 1} of model '{name}'" : $"base_url of model '{name}'";
            if (
                !Uri.TryCreate(value, UriKind.Absolute, out var uri)
                || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            )
            {
                m.Problem(line, $"{which} is not an absolute http(s) URL", "write it as http://host:port/v1");
                continue;
            }
            if (!seen.Add(value.TrimEnd('/')))
            {
                m.Problem(line, $"{which} repeats a server already in the list", "list each replica once");
                continue;
            }
            urls.Add(value);
        }
        return urls;
    }

    private static JudgeConfig? ReadJudge(YamlSection root, IReadOnlyDictionary<string, ModelConfig> models)
    {
        var j = root.Section("judge");
        if (j is null)
            return null;
        j.RejectUnknown(["model", "mode"]);
        var model = j.RequiredString("model", $"name the judge model, one of: {Names(models)}");
        if (model.Length > 0 && !models.ContainsKey(model))
            j.Problem(
                j.LineOf("model"),
                $"judge.model '{model}' names no model",
                $"use one of: {Names(models)}, or add '{model}' under models"
            );
        RejectEncoder(j, "judge.model", model, j.LineOf("model"), models);
        var mode = j.String("mode") ?? JudgeConfig.Batched;
        if (mode is not (JudgeConfig.Batched or JudgeConfig.PerValue))
            j.Problem(
                j.LineOf("mode"),
                $"judge.mode '{mode}' is unknown",
                "use 'batched' (one call per response) or 'per-value' (the paper's)"
            );
        return new JudgeConfig(model, mode, j.Line);
    }

    private static GenerationConfig ReadGeneration(YamlSection? g, IReadOnlyDictionary<string, ModelConfig> models)
    {
        if (g is null)
            return new GenerationConfig();
        g.RejectUnknown(GenerationKeys);
        var d = new GenerationConfig();
        var explorers = ModelList(g, "explorers", models);
        var scorers = ModelList(g, "scorers", models);
        var judge = g.String("judge");
        if (judge is not null && !models.ContainsKey(judge))
            g.Problem(g.LineOf("judge"), $"generation.judge '{judge}' names no model", $"use one of: {Names(models)}");
        var safety = g.String("safety_model");
        if (safety is not null && !models.ContainsKey(safety))
            g.Problem(g.LineOf("safety_model"), $"generation.safety_model '{safety}' names no model", $"use one of: {Names(models)}");
        var expander = g.String("expander");
        if (expander is not null && !models.ContainsKey(expander))
            g.Problem(
                g.LineOf("expander"),
                $"generation.expander '{expander}' names no model",
                $"use one of: {Names(models)}, or leave it out to use the first explorer"
            );
        foreach (var key in new[] { "judge", "safety_model", "expander" })
            if (g.String(key) is { } chat)
                RejectEncoder(g, $"generation.{key}", chat, g.LineOf(key), models);
        var sign = g.Int("disentanglement_sign", -1, 1);
        if (sign == 0)
            g.Problem(g.LineOf("disentanglement_sign"), "disentanglement_sign must be 1 or -1", "use 1 (Eq. 1) or -1 (App. C.3)");
        return new GenerationConfig
        {
            Seeds = g.String("seeds") ?? d.Seeds,
            SeedsLine = g.Has("seeds") ? g.LineOf("seeds") : null,
            ExpandSeeds = g.Int("expand_seeds", 0, GenerationConfig.MaxExpandSeeds) ?? d.ExpandSeeds,
            Expander = expander,
            Explorers = explorers,
            Exclude = g.List("exclude")?.Select(x => x.Value).ToList() ?? [],
            ExcludeLine = g.Has("exclude") ? g.LineOf("exclude") : null,
            Period = g.String("period"),
            Scorers = scorers,
            Judge = judge,
            Budget = g.Int("budget", 0, GenerationConfig.MaxBudget) ?? d.Budget,
            QuestionsPerStep = g.Int("questions_per_step", 1, 100) ?? d.QuestionsPerStep,
            ArmsPerRound = g.Int("arms_per_round", 1, GenerationConfig.MaxArmsPerRound) ?? d.ArmsPerRound,
            FewShot = g.Int("few_shot", 0, 50) ?? d.FewShot,
            MaxRefinements = g.Int("max_refinements", 0, 20) ?? d.MaxRefinements,
            RefineThreshold = g.Double("refine_threshold", 0) ?? d.RefineThreshold,
            DedupThreshold = g.Double("dedup_threshold", 0, 1),
            DedupTopK = g.Int("dedup_top_k", 1, 100) ?? d.DedupTopK,
            Beta = g.Double("beta", 0) ?? d.Beta,
            DisentanglementSign = sign ?? d.DisentanglementSign,
            MaxArms = g.Int("max_arms", 1),
            SelectTop = g.Int("select_top", 1),
            SelectThreshold = g.Double("select_threshold"),
            SafetyModel = safety,
            Opinions = g.Int("opinions", 1, 10) ?? d.Opinions,
            Seed = g.Int("seed") ?? d.Seed,
            Line = g.Line,
        };
    }

    private static EvaluationConfig ReadEvaluation(YamlSection? e, IReadOnlyDictionary<string, ModelConfig> models)
    {
        if (e is null)
            return new EvaluationConfig();
        e.RejectUnknown(EvaluationKeys);
        var d = new EvaluationConfig();
        var warnChars = e.Int("question_warn_chars", 1, EvaluationConfig.LargestQuestionMaxChars) ?? d.QuestionWarnChars;
        var maxChars = e.Int("question_max_chars", 1, EvaluationConfig.LargestQuestionMaxChars) ?? d.QuestionMaxChars;
        if (warnChars > maxChars)
            e.Problem(
                e.LineOf(e.Has("question_warn_chars") ? "question_warn_chars" : "question_max_chars"),
                string.Create(
                    System.Globalization.CultureInfo.InvariantCulture,
                    $"evaluation.question_warn_chars ({warnChars:N0}) is above evaluation.question_max_chars ({maxChars:N0})"
                ),
                "the warning must come at or below the limit: lower question_warn_chars or raise question_max_chars"
            );
        return new EvaluationConfig
        {
            Targets = ModelList(e, "targets", models),
            Opinions = e.Int("opinions", 1, 10) ?? d.Opinions,
            Samples = e.Int("samples", 1, 100) ?? d.Samples,
            Mu = e.Double("mu") ?? d.Mu,
            Sigma = e.Double("sigma", 1e-9) ?? d.Sigma,
            BetaTrueSkill = e.Double("beta", 1e-9) ?? d.BetaTrueSkill,
            Tau = e.Double("tau", 0) ?? d.Tau,
            DrawProbability = e.Double("draw_probability", 0, 0.999) ?? d.DrawProbability,
            Orderings = e.Int("orderings", 1, 1000) ?? d.Orderings,
            Bootstrap = e.Int("bootstrap", 0, 100000) ?? d.Bootstrap,
            Confidence = e.Double("confidence", 0.5, 0.999) ?? d.Confidence,
            Seed = e.Int("seed") ?? d.Seed,
            QuestionWarnChars = warnChars,
            QuestionMaxChars = maxChars,
            Line = e.Line,
        };
    }

    private static IReadOnlyList<string> ModelList(YamlSection s, string key, IReadOnlyDictionary<string, ModelConfig> models)
    {
        var list = s.List(key);
        if (list is null)
            return [];
        foreach (var (name, line) in list.Where(x => !models.ContainsKey(x.Value)))
            s.Problem(
                line,
                $"{s.Qualified(key)} names '{name}', which is not a model",
                $"use one of: {Names(models)}, or add '{name}' under models"
            );
        // Every model list (explorers, scorers, targets) is a chat role.
        foreach (var (name, line) in list)
            RejectEncoder(s, s.Qualified(key), name, line, models);
        // A model listed twice is one model: explorers and scorers [a, a] would compare a's answers with themselves.
        foreach (
            var (name, line) in list.GroupBy(x => x.Value, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.ElementAt(1))
        )
            s.Problem(line, $"{s.Qualified(key)} lists '{name}' twice", $"list each model once under {s.Qualified(key)}");
        return list.Select(x => x.Value).ToList();
    }

    /// <summary>A local sentence encoder only embeds: naming it where a model must answer prompts is a config error.</summary>
    internal static void RejectEncoder(YamlSection s, string role, string name, int line, IReadOnlyDictionary<string, ModelConfig> models)
    {
        if (models.TryGetValue(name, out var m) && m.Provider == ProviderKinds.Local)
            s.Problem(
                line,
                $"{role} names '{name}', a local sentence encoder ({m.Model}), which makes embeddings and cannot answer prompts",
                $"use a chat model here; '{name}' belongs under embeddings: {{ model: {name} }}"
            );
    }

    internal static string Names(IReadOnlyDictionary<string, ModelConfig> models) =>
        models.Count == 0 ? "(no models defined)" : string.Join(", ", models.Keys);
}
