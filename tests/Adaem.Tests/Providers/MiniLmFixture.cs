using Adaem.Providers.Local;

namespace Adaem.Tests.Providers;

/// <summary>
/// The built-in all-MiniLM-L6-v2 encoder, loaded once for a test class (the weights are shared by the
/// whole process after that, so later classes pay nothing).
/// </summary>
public sealed class MiniLmFixture
{
    public MiniLmFixture()
    {
        Encoder = LocalEncoders.Find(LocalEncoders.MiniLm)!;
        Generator = LocalEncoders.Create(Encoder);
        _ = Generator.LoadTime;
    }

    public LocalEncoder Encoder { get; }
    public LocalEmbeddingGenerator Generator { get; }
}
