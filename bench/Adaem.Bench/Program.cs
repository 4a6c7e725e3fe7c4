using System.Reflection;
using Adaem.Bench;

// Usage: dotnet run -c Release --project bench/Adaem.Bench -- NAME [args]
// Every IBench in this assembly is a NAME; add a benchmark by adding a file with a class that implements it.
var benches = typeof(IBench).Assembly.GetTypes()
    .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IBench).IsAssignableFrom(t))
    .Select(t => (IBench)Activator.CreateInstance(t)!)
    .OrderBy(b => b.Name, StringComparer.Ordinal)
    .ToList();

if (args.Length == 0 || benches.FirstOrDefault(b => string.Equals(b.Name, args[0], StringComparison.OrdinalIgnoreCase)) is not { } bench)
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project bench/Adaem.Bench -- NAME [args]");
    foreach (var b in benches) Console.Error.WriteLine($"  {b.Name,-10} {b.Description}");
    return 2;
}

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cts.Cancel();
};
Console.WriteLine($"adaem bench {bench.Name} ({Assembly.GetExecutingAssembly().GetName().Version}, {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription})");
return await bench.RunAsync(args[1..], cts.Token);
