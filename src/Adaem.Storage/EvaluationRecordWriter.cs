using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Adaem.Core.Evaluation;

namespace Adaem.Storage;

/// <summary>
/// Writes an evaluation's per-item records (raw replies, parsed replies, judgments) off the callers' path. A
/// save goes into a bounded queue and returns at once; one thread drains the queue and commits whatever has
/// queued up in one transaction, under the store's write gate, so parallel items neither wait for SQLite nor
/// meet the ledger writer on its lock. A full queue (a store slower than the models) makes savers wait for room.
/// <para>
/// Nothing a rerun needs is put at risk: every model call is in the ledger before its caller sees the answer,
/// so a record lost with a killed process is written again by the rerun from the cached answer, without asking
/// anyone. <see cref="FlushAsync"/> (which the evaluation calls when a batch ends, finished, failed or
/// cancelled) returns once every earlier save is committed; loads flush first, so they see every save.
/// </para>
/// A write that fails stops the writer: the failure is thrown by every later save, flush and load, never dropped.
/// </summary>
public sealed class EvaluationRecordWriter : IEvaluationRecords, IDisposable
{
    /// <summary>Records queued at most before a save waits for room (about 1 KB each).</summary>
    public const int Capacity = 4096;

    /// <summary>
    /// Records committed at most in one transaction. Small enough that the store's write gate is never held long: the
    /// ledger writer, whose commits calls wait for, takes it between two batches (a batch of 435 held it 113 ms on a busy machine).
    /// </summary>
    public const int MaxBatch = 64;

    private readonly AdaemStore _store;
    private readonly Channel<Entry> _queue = Channel.CreateBounded<Entry>(
        new BoundedChannelOptions(Capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
            // The writer thread, blocked waiting for work, is woken by the saver itself, not by a thread-pool work item queued
            // behind the replies being read (and a saver waiting for room by the writer thread).
            AllowSynchronousContinuations = true,
        }
    );
    private readonly Thread _thread;
    private int _pending;
    private volatile ExceptionDispatchInfo? _failure;

    public EvaluationRecordWriter(AdaemStore store)
    {
        _store = store;
        // A thread of its own: the drain blocks on SQLite, and must never wait for a thread-pool thread that a full queue holds.
        _thread = new Thread(Drain) { IsBackground = true, Name = "adaem evaluation records" };
        _thread.Start();
    }

    public IReadOnlyList<RawResponseRecord> LoadRawResponses(string run, string purpose, string? questionId = null)
    {
        WaitForSaves();
        return _store.LoadRawResponses(run, purpose, questionId);
    }

    public IReadOnlyList<ParsedResponseRecord> LoadParsedResponses(
        string run,
        string purpose,
        string parserVersion,
        string? questionId = null
    )
    {
        WaitForSaves();
        return _store.LoadParsedResponses(run, purpose, parserVersion, questionId);
    }

    public IReadOnlyList<JudgmentRecord> LoadJudgments(string run, string purpose, string judge, string mode, string? questionId = null)
    {
        WaitForSaves();
        return _store.LoadJudgments(run, purpose, judge, mode, questionId);
    }

    public void SaveRawResponse(RawResponseRecord record) => Enqueue(new Entry { Raw = record });

    public void SaveParsedResponse(ParsedResponseRecord record) => Enqueue(new Entry { Parsed = record });

    public void SaveJudgment(JudgmentRecord record) => Enqueue(new Entry { Judgment = record });

    public void SaveScores(string run, string judge, IReadOnlyList<ValueScore> scores, IReadOnlyCollection<string> items)
    {
        WaitForSaves();
        _store.SaveScores(run, judge, scores, items);
    }

    public IReadOnlySet<string> LoadScoredItems(string run)
    {
        WaitForSaves();
        return _store.LoadScoredItems(run);
    }

    public IReadOnlyList<ValueScore> LoadScores(string run)
    {
        WaitForSaves();
        return _store.LoadScores(run);
    }

    /// <summary>Completes when every save made before it is committed; faults with the write's failure if one failed.</summary>
    public async Task FlushAsync()
    {
        ThrowIfFailed();
        if (Volatile.Read(ref _pending) == 0)
            return;
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            await _queue.Writer.WriteAsync(new Entry { Flushed = flushed }).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            ThrowIfFailed();
            throw new ObjectDisposedException(nameof(EvaluationRecordWriter), "the evaluation records writer was closed");
        }
        await flushed.Task.ConfigureAwait(false);
    }

    /// <summary>Writes what is queued and stops the writer thread. A failure is not thrown here: <see cref="FlushAsync"/>
    /// reports it.</summary>
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _thread.Join();
    }

    private void Enqueue(Entry entry)
    {
        ThrowIfFailed();
        Interlocked.Increment(ref _pending);
        if (_queue.Writer.TryWrite(entry))
            return;
        try
        {
            // The queue is full: wait for room. The drain runs on its own thread, so this wait cannot hold it up.
            _queue.Writer.WriteAsync(entry).AsTask().GetAwaiter().GetResult();
        }
        catch (ChannelClosedException)
        {
            Interlocked.Decrement(ref _pending);
            ThrowIfFailed();
            throw new ObjectDisposedException(
                nameof(EvaluationRecordWriter),
                "the evaluation records writer was closed; the record was not saved"
            );
        }
    }

    private void WaitForSaves()
    {
        if (Volatile.Read(ref _pending) > 0 || _failure is not null)
            FlushAsync().GetAwaiter().GetResult();
    }

    private void ThrowIfFailed()
    {
        if (_failure is { } failure)
            throw Failed(failure);
    }

    private void Drain()
    {
        var batch = new List<Entry>(MaxBatch);
        var reader = _queue.Reader;
        while (WaitToRead(reader))
        {
            while (batch.Count < MaxBatch && reader.TryRead(out var entry))
            {
                batch.Add(entry);
                if (entry.Flushed is not null)
                    break; // answer a flush as soon as what came before it is written
            }
            var records = batch.Count(e => e.Flushed is null);
            if (_failure is null)
            {
                try
                {
                    _store.SaveRecords(
                        [.. batch.Where(e => e.Raw is not null).Select(e => e.Raw!)],
                        [.. batch.Where(e => e.Parsed is not null).Select(e => e.Parsed!)],
                        [.. batch.Where(e => e.Judgment is not null).Select(e => e.Judgment!)]
                    );
                }
                catch (Exception e)
                {
                    // Kept, not thrown here: every later save, flush and load throws it. The queue is still drained,
                    // so no saver waits forever.
                    _failure = ExceptionDispatchInfo.Capture(e);
                }
            }
            Interlocked.Add(ref _pending, -records);
            foreach (var flush in batch.Select(e => e.Flushed).OfType<TaskCompletionSource>())
            {
                if (_failure is { } failure)
                    flush.TrySetException(Failed(failure));
                else
                    flush.TrySetResult();
            }
            batch.Clear();
        }
    }

    /// <summary>A new exception per thrower (they may be many, at once), naming the store, with the write's own failure inside.</summary>
    private InvalidOperationException Failed(ExceptionDispatchInfo failure) =>
        new($"writing evaluation records to the store {_store.Path} failed: {failure.SourceException.Message}", failure.SourceException);

    private static bool WaitToRead(ChannelReader<Entry> reader)
    {
        var wait = reader.WaitToReadAsync();
        return wait.IsCompletedSuccessfully ? wait.Result : wait.AsTask().GetAwaiter().GetResult();
    }

    /// <summary>One record to save, or a flush that completes once everything queued before it is committed.</summary>
    private sealed class Entry
    {
        public RawResponseRecord? Raw { get; init; }
        public ParsedResponseRecord? Parsed { get; init; }
        public JudgmentRecord? Judgment { get; init; }
        public TaskCompletionSource? Flushed { get; init; }
    }
}
