namespace Adaem.Bench;

/// <summary>One end-to-end benchmark, run by name. It prints measured numbers and their ratio to the target.</summary>
public interface IBench
{
    string Name { get; }
    string Description { get; }
    Task<int> RunAsync(string[] args, CancellationToken cancellationToken);
}
