using System.Threading.Channels;
using Adaem.Storage;

namespace Adaem.Providers.Engine;

/// <summary>
/// The one writer of ledger rows in this process. Calls hand their rows over and wait until the rows
/// are committed (so a caller that has its answer knows it is in the store); a dedicated thread
/// commits whatever has queued up in one transaction. One writer means no SQLite lock contention (and
/// no busy-wait sleeps) between parallel calls, and blocking writes never occupy thread-pool threads
/// that HTTP completions need.
/// </summary>
public sealed class LedgerWriter : IDisposable
{
    private const int MaxBatch = 512;

    private readonly AdaemStore _store;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Thread _thread;

    private readonly CallCounters? _counters;

    /// <param name="counters">Told when each store write begins and ends, so a progress display can tell a locked store.</param>
    public LedgerWriter(AdaemStore store, CallCounters? counters = null)
    {
        _store = store;
        _counters = counters;
        _thread = new Thread(Loop) { IsBackground = true, Name = "adaem ledger writer" };
        _thread.Start();
    }

    /// <summary>Completes when the row is committed; faults when the write failed.</summary>
    public Task WriteAsync(ModelCallRecord record)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(new Pending(record, done)))
            done.SetException(new ObjectDisposedException(nameof(LedgerWriter), "the model pool was disposed; the call was not recorded"));
        return done.Task;
    }

    /// <summary>Writes what is queued and stops the writer thread.</summary>
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _thread.Join();
    }

    private void Loop()
    {
        var batch = new List<Pending>(MaxBatch);
        var reader = _queue.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (batch.Count < MaxBatch && reader.TryRead(out var p)) batch.Add(p);
            Exception? failed = null;
            _counters?.StoreWrite(started: true);
            try
            {
                _store.RecordCalls(batch.Select(p => p.Record).ToList());
            }
            catch (Exception e)
            {
                failed = e;
            }
            finally
            {
                // Before anyone is told: a caller that has its answer sees no store write under way.
                _counters?.StoreWrite(started: false);
            }
            foreach (var p in batch)
            {
                if (failed is null) p.Done.TrySetResult();
                else p.Done.TrySetException(failed);
            }
            batch.Clear();
        }
    }

    private sealed record Pending(ModelCallRecord Record, TaskCompletionSource Done);
}
