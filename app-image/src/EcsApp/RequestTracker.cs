namespace EcsApp;

/// <summary>Marks the health endpoint, so that its probes are neither counted nor logged.</summary>
internal sealed class HealthProbeMetadata
{
    public static readonly HealthProbeMetadata Instance = new();
}

/// <summary>
/// Counts requests (<c>requestCount</c>, health probes left out) and follows the ones in flight, so the
/// shutdown line can say how long the drain took and what it completed.
/// </summary>
internal sealed class RequestTracker
{
    private long served;
    private int inFlight;
    private long completedDuringDrain;
    private long cutDuringDrain;
    private long drainStartedAt;
    private volatile bool draining;

    public RequestTracker(IHostApplicationLifetime lifetime, TimeProvider time, ILogger<RequestTracker> logger, AppOptions options)
    {
        // Stopping fires on SIGTERM, before Kestrel closes its listener and waits for what is in flight;
        // Stopped once that wait has ended (everything completed, or the rest cut at ShutdownTimeout).
        lifetime.ApplicationStopping.Register(() =>
        {
            drainStartedAt = time.GetTimestamp();
            draining = true;
            Log.Draining(logger, Volatile.Read(ref inFlight), options.ShutdownTimeout.TotalSeconds);
        });
        lifetime.ApplicationStopped.Register(() =>
        {
            var drain = draining ? time.GetElapsedTime(drainStartedAt) : TimeSpan.Zero;
            Log.Stopped(logger, (long)drain.TotalMilliseconds, Interlocked.Read(ref completedDuringDrain),
                Interlocked.Read(ref cutDuringDrain) + Volatile.Read(ref inFlight));
        });
    }

    /// <summary>Requests served since start, health probes left out.</summary>
    public long Served => Interlocked.Read(ref served);

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<HealthProbeMetadata>() is null)
        {
            Interlocked.Increment(ref served);
        }
        Interlocked.Increment(ref inFlight);
        try
        {
            await next(context);
        }
        finally
        {
            Interlocked.Decrement(ref inFlight);
            if (draining)
            {
                // Kestrel aborts the requests still running at the bound: those were cut, not completed.
                Interlocked.Increment(ref context.RequestAborted.IsCancellationRequested ? ref cutDuringDrain : ref completedDuringDrain);
            }
        }
    }
}
