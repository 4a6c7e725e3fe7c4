using Adaem.Core.Configuration;
using Adaem.Core.Generation;
using Adaem.Core.Prompts.Languages;

namespace Adaem.Core.Translation;

/// <summary>
/// Seeds stay English (the built-in seed set and the paper's Touché arguments are English); when generation runs in
/// another language (generation.language), each arm's seed question is translated into it on demand by the configured
/// translator (evaluation.translator), stored and read back like any translation, so the seed question scored and the
/// general question the explorers read in that language are the translated ones. Without a translator the seeds are
/// asked in English, as before, with a warning.
/// </summary>
public static class SeedTranslation
{
    /// <summary>The language seeds are written in.</summary>
    public static PromptLanguage SeedLanguage => PromptLanguage.English;

    /// <summary>Whether generation runs in a language other than the seeds' (English).</summary>
    public static bool Applies(AdaemConfig config) => !IsEnglish(PromptLanguages.Resolve(config.Generation.Language));

    /// <summary>The id a seed question's translation is stored under: the id of the seed question's own row ("seed:ARM").</summary>
    public static string SourceId(Seed arm) => "seed:" + arm.Id;

    /// <summary>
    /// The arms with their questions in <paramref name="target"/>; an arm whose translation failed keeps its English
    /// question and is named in <paramref name="untranslated"/>.
    /// </summary>
    public static async Task<IReadOnlyList<Seed>> TranslateAsync(
        IReadOnlyList<Seed> arms,
        QuestionTranslator translator,
        PromptLanguage target,
        List<string> untranslated,
        CancellationToken cancellationToken
    )
    {
        var result = new Seed[arms.Count];
        var failed = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel
            .ForEachAsync(
                Enumerable.Range(0, arms.Count),
                new ParallelOptions { MaxDegreeOfParallelism = QuestionTranslator.DefaultWidth, CancellationToken = cancellationToken },
                async (i, ct) =>
                {
                    var arm = arms[i];
                    var record = await translator
                        .TranslateAsync(SourceId(arm), arm.Question, SeedLanguage, target, ct)
                        .ConfigureAwait(false);
                    if (record.Ok)
                        result[i] = arm with { Question = record.Text! };
                    else
                    {
                        result[i] = arm;
                        failed.Add(arm.Id);
                    }
                }
            )
            .ConfigureAwait(false);
        untranslated.AddRange(failed.Order(StringComparer.Ordinal));
        return result;
    }

    private static bool IsEnglish(PromptLanguage language) => language.Code.Split('-')[0].Equals("en", StringComparison.OrdinalIgnoreCase);
}
