using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Adaem.Bench;

// Usage: dotnet run -c Release --project bench/Adaem.Bench -- NAME [args] | all
// Every IBench in this assembly is a NAME; add a benchmark by adding a file with a class that implements it.
// `all` runs every bench in turn with its default arguments.
// The wrapper that reads a child's peak memory (Latency/PeakRss.cs) is this program started again.
if (args.Length > 0 && args[0] == Adaem.Bench.Latency.PeakRss.Command)
    return await Adaem.Bench.Latency.PeakRss.RunAsync(args[1..]);

var benches = typeof(IBench)
    .Assembly.GetTypes()
    .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IBench).IsAssignableFrom(t))
    .Select(t => (IBench)Activator.CreateInstance(t)!)
    .OrderBy(b => b.Name, StringComparer.Ordinal)
    .ToList();

var all = args.Length > 0 && string.Equals(args[0], "all", StringComparison.OrdinalIgnoreCase);
var chosen = all
    ? benches
    : benches.Where(b => args.Length > 0 && string.Equals(b.Name, args[0], StringComparison.OrdinalIgnoreCase)).ToList();
if (chosen.Count == 0)
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project bench/Adaem.Bench -- NAME [args] | all");
    foreach (var b in benches)
        Console.Error.WriteLine($"  {b.Name, -10} {b.Description}");
    Console.Error.WriteLine($"  {"all", -10} every bench above in turn, default arguments");
    return 2;
}

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cts.Cancel();
};

var results = new List<(string Name, int Code, double Seconds)>();
foreach (var bench in chosen)
{
    Console.WriteLine(
        $"adaem bench {bench.Name} ({Assembly.GetExecutingAssembly().GetName().Version}, {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription})"
    );
    var clock = Stopwatch.StartNew();
    var code = await bench.RunAsync(all ? [] : args[1..], cts.Token);
    results.Add((bench.Name, code, clock.Elapsed.TotalSeconds));
    if (all)
        Console.WriteLine();
}

if (all)
{
    // Exit code 0 means every target was met; each bench printed its own numbers and ratios above.
    Console.WriteLine("all benches:");
    foreach (var (name, code, seconds) in results)
        Console.WriteLine(
            string.Create(
                CultureInfo.InvariantCulture,
                $"  {name, -10} {(code == 0 ? "targets met" : $"exit {code}: a target was missed"), -32} ({seconds:0.0} s)"
            )
        );
}
return results.Any(r => r.Code != 0) ? 1 : 0;
