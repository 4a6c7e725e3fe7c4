using System.Net;

namespace Adaem.Tests.Providers;

/// <summary>
/// The plumbing of the loopback stubs: an HttpListener on a free port of 127.0.0.1 that hands every request to the
/// stub's handler on a task of its own, until it is disposed. HttpListener rather than Kestrel: a test project that
/// references the ASP.NET Core framework stops copying the Microsoft.Extensions assemblies that the CLI needs when
/// tests start it as a child process.
/// </summary>
public sealed class LoopbackListener : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly Func<HttpListenerContext, Task> _handle;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;

    private LoopbackListener(HttpListener listener, int port, Func<HttpListenerContext, Task> handle)
    {
        _listener = listener;
        _handle = handle;
        Port = port;
        _accepting = Task.Run(AcceptAsync);
    }

    /// <summary>The port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>Cancelled when the listener is disposed: handlers pass it to what they await.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>Listens on a free port and hands each request to <paramref name="handle"/>.</summary>
    public static LoopbackListener Start(Func<HttpListenerContext, Task> handle, CancellationToken cancellationToken = default)
    {
        // HttpListener cannot bind port 0: take a free port from the OS, and try another if someone wins the race for it.
        for (var attempt = 0; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var port = ClosedPort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return new LoopbackListener(listener, port, handle);
            }
            catch (HttpListenerException) when (attempt < 20)
            {
                listener.Close();
            }
        }
    }

    /// <summary>A port on 127.0.0.1 that nothing listens on (connection refused).</summary>
    public static int ClosedPort()
    {
        var l = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            _listener.Stop();
            _listener.Close();
        }
        catch (HttpListenerException)
        {
            // Linux's managed listener binds with SO_REUSEPORT, so another test process on this machine can share
            // the port and make closing fail; the listener is going away either way.
        }
        await _accepting;
        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return; // stopped
            }
            _ = Task.Run(() => _handle(context));
        }
    }
}
