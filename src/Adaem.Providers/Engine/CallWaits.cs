using Adaem.Core.Models;

namespace Adaem.Providers.Engine;

/// <summary>
/// Passes the retry layer's waits on to whoever watches (a progress display). With no watcher a wait costs
/// one empty read; a watcher that throws is not allowed to break a call.
/// </summary>
public sealed class CallWaits : ICallWaitSink
{
    private readonly Lock _gate = new();
    private ICallWaitSink[] _sinks = [];

    public IDisposable Watch(ICallWaitSink sink)
    {
        lock (_gate)
            _sinks = [.. _sinks, sink];
        return new Watching(this, sink);
    }

    public void Waiting(CallWait wait)
    {
        foreach (var sink in Volatile.Read(ref _sinks))
        {
            try
            {
                sink.Waiting(wait);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A display's fault must not fail a model call; the wait goes ahead unreported.
            }
        }
    }

    private void Remove(ICallWaitSink sink)
    {
        lock (_gate)
            _sinks = _sinks.Where(s => !ReferenceEquals(s, sink)).ToArray();
    }

    private sealed class Watching(CallWaits owner, ICallWaitSink sink) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
                owner.Remove(sink);
        }
    }
}
