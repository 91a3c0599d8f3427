using System.Diagnostics;
using System.Globalization;
using EcsApp.Metadata;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace EcsApp;

/// <summary>Builds the web app: its settings, the metadata loader, the request log and the endpoints.</summary>
public static class AppHost
{
    /// <summary>Longest <c>/delay/{ms}</c>, so a slow request stays well inside the drain bound.</summary>
    public const int MaxDelayMilliseconds = 10_000;

    public static WebApplication Build(string[] args, AppSettings settings, TextWriter logOutput)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        // One JSON line per request is the log; the framework's own lines would be noise.
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = settings.ShutdownTimeout);
        builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, AppJsonContext.Default));
        var log = new JsonLog(logOutput);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(log);
        builder.Services.AddSingleton<MetadataProvider>();
        builder.Services.AddHostedService(services => services.GetRequiredService<MetadataProvider>());

        var app = builder.Build();
        var startedAt = DateTimeOffset.UtcNow;
        long requestCount = 0;

        app.Use(async (context, next) =>
        {
            Interlocked.Increment(ref requestCount);
            var start = Stopwatch.GetTimestamp();
            await next(context);
            log.Request(context.Request.Method, context.Request.Path.Value ?? "/", context.Response.StatusCode,
                Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        });

        var metadata = app.Services.GetRequiredService<MetadataProvider>();
        InfoResponse Info() => Describe(metadata.Current, startedAt, Interlocked.Read(ref requestCount));

        app.MapGet("/", Info);
        app.MapGet(settings.HealthCheckPath, () => Results.Text("ok"));
        app.MapGet("/delay/{ms}", async (string ms) =>
        {
            if (!int.TryParse(ms, NumberStyles.None, CultureInfo.InvariantCulture, out var delay) || delay > MaxDelayMilliseconds)
            {
                return Results.BadRequest(new ErrorResponse($"ms must be a whole number of milliseconds from 0 to {MaxDelayMilliseconds}"));
            }
            // Not tied to the request's abort token: a request in flight at SIGTERM is meant to finish.
            await Task.Delay(delay);
            return Results.Ok(Info());
        });

        app.Lifetime.ApplicationStarted.Register(() =>
            log.Started(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? []));
        return app;
    }

    internal static InfoResponse Describe(MetadataSnapshot snapshot, DateTimeOffset startedAt, long requestCount)
    {
        const string unknown = "unknown";
        return new InfoResponse(
            snapshot.TaskArn ?? unknown,
            snapshot.AvailabilityZone ?? unknown,
            snapshot.Cluster ?? unknown,
            snapshot.ContainerInstanceArn ?? unknown,
            snapshot.HostPrivateIp ?? unknown,
            snapshot.HostPort,
            snapshot.ImageDigest ?? unknown,
            startedAt,
            requestCount);
    }
}
