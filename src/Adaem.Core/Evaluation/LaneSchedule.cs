using System.Threading.Channels;

namespace Adaem.Core.Evaluation;

/// <summary>
/// Schedules work in two stages so that in-flight work is bounded by the models' own limits, not by a
/// constant: the first stage runs one lane per model (as wide as that model's concurrency), so a slow
/// model never takes the slots of a fast one; what needs the second stage (the judge) goes through a
/// bounded channel to workers as wide as the judge allows. Memory stays bounded: a lane pulls its next
/// item only when a slot frees, and a full channel holds the lanes back. The first failure (other than a
/// cancellation) stops everything and is the one rethrown.
/// </summary>
internal static class LaneSchedule
{
    public static async Task RunAsync<TItem, TPending>(
        IReadOnlyList<(IEnumerable<TItem> Items, int Width)> lanes,
        Func<TItem, CancellationToken, Task<TPending?>> first,
        int secondWidth,
        Func<TPending, CancellationToken, Task> second,
        CancellationToken cancellationToken
    )
        where TPending : class
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var channel = Channel.CreateBounded<TPending>(
            new BoundedChannelOptions(Math.Max(1, secondWidth) * 2)
            {
                SingleWriter = false,
                SingleReader = false,
                FullMode = BoundedChannelFullMode.Wait,
            }
        );
        var errors = new List<Exception>();
        void Fail(Exception e)
        {
            if (e is OperationCanceledException && cancellationToken.IsCancellationRequested)
                return;
            lock (errors)
                errors.Add(e);
            stop.Cancel();
        }

        var laneTasks = lanes
            .Select(lane =>
                Parallel.ForEachAsync(
                    lane.Items,
                    new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, lane.Width), CancellationToken = stop.Token },
                    async (item, ct) =>
                    {
                        try
                        {
                            if (await first(item, ct).ConfigureAwait(false) is { } pending)
                                await channel.Writer.WriteAsync(pending, ct).ConfigureAwait(false);
                        }
                        catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
                        {
                            Fail(e);
                            throw;
                        }
                    }
                )
            )
            .ToList();

        var workers = Enumerable
            .Range(0, Math.Max(1, secondWidth))
            .Select(_ =>
                Task.Run(
                    async () =>
                    {
                        try
                        {
                            await foreach (var pending in channel.Reader.ReadAllAsync(stop.Token).ConfigureAwait(false))
                                await second(pending, stop.Token).ConfigureAwait(false);
                        }
                        catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
                        {
                            Fail(e);
                            throw;
                        }
                    },
                    CancellationToken.None
                )
            )
            .ToList();

        try
        {
            await Task.WhenAll(laneTasks).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Recorded by Fail (or a cancellation); the workers are stopped below.
        }
        finally
        {
            channel.Writer.TryComplete();
        }
        try
        {
            await Task.WhenAll(workers).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // As above.
        }

        lock (errors)
        {
            var root = errors.FirstOrDefault(e => e is not OperationCanceledException) ?? errors.FirstOrDefault();
            if (root is not null)
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(root).Throw();
        }
        cancellationToken.ThrowIfCancellationRequested();
    }
}
