using System.Globalization;
using EcsApp.Metadata;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.HttpLogging;
using Microsoft.Extensions.Options;

namespace EcsApp;

/// <summary>Builds and runs the web app: settings, logging, the metadata loader, the request pipeline and the endpoints.</summary>
public static class AppHost
{
    /// <summary>Longest <c>/delay/{ms}</c>, so a slow request stays well inside the drain bound.</summary>
    public const int MaxDelayMilliseconds = 10_000;

    /// <summary>The task definition's container port; only the standard overrides (e.g. tests on a free port) change it.</summary>
    public const string DefaultUrl = "http://+:8080";

    /// <summary>The builder with every service registered; tests add to it (fake logging, a fake clock) before <see cref="Build"/>.</summary>
    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey])
            && string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.HttpPortsKey]))
        {
            // Without this Kestrel would fall back to localhost:5000, unreachable from the ALB.
            builder.WebHost.UseUrls(DefaultUrl);
        }
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);

        // Settings: bound from the environment, checked when the app starts (and at Build, which needs the health path).
        builder.Services.AddSingleton<IValidateOptions<AppOptions>, AppOptionsValidator>();
        builder.Services.AddOptions<AppOptions>().Bind(builder.Configuration).ValidateOnStart();
        builder.Services.AddSingleton(services => services.GetRequiredService<IOptions<AppOptions>>().Value);
        builder.Services.AddOptions<HostOptions>()
            .Configure<IOptions<AppOptions>>((host, app) => host.ShutdownTimeout = app.Value.ShutdownTimeout);

        // Logs: one JSON object a line on stdout, which awslogs ships to CloudWatch as one event each. The app's
        // own lines and the framework's warnings and errors; from Microsoft.* at Information only the request log.
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(console =>
        {
            console.UseUtcTimestamp = true;
            console.TimestampFormat = "yyyy'-'MM'-'dd'T'HH':'mm':'ss.fff'Z'";
        });
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.HttpLogging", LogLevel.Information);
        builder.Services.AddHttpLogging(logging =>
        {
            logging.LoggingFields = HttpLoggingFields.RequestMethod | HttpLoggingFields.RequestPath
                | HttpLoggingFields.ResponseStatusCode | HttpLoggingFields.Duration;
            logging.CombineLogs = true;
        });

        // Errors: every 4xx/5xx the app or the framework answers is a ProblemDetails (application/problem+json).
        builder.Services.AddProblemDetails();

        builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, AppJsonContext.Default));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<RequestTracker>();
        builder.Services.AddSingleton<MetadataProvider>();
        builder.Services.AddHostedService(services => services.GetRequiredService<MetadataProvider>());
        return builder;
    }

    /// <summary>Builds the app and maps its endpoints; throws <see cref="OptionsValidationException"/> on a bad setting.</summary>
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var app = builder.Build();
        AppOptions settings;
        try
        {
            settings = app.Services.GetRequiredService<AppOptions>();
        }
        catch (OptionsValidationException)
        {
            ((IDisposable)app).Dispose();
            throw;
        }
        var time = app.Services.GetRequiredService<TimeProvider>();
        var tracker = app.Services.GetRequiredService<RequestTracker>();
        var metadata = app.Services.GetRequiredService<MetadataProvider>();
        var startedAt = time.GetUtcNow();

        // Routing first, so the request log and the counter see which endpoint (the health probe?) a request is for.
        app.UseRouting();
        app.UseHttpLogging();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use(tracker.InvokeAsync);

        InfoResponse Info() => Describe(metadata.Current, startedAt, tracker.Served);

        app.MapGet("/", Info);
        // HEAD answers like GET (without the body). Not logged, not counted: the ALB probes every few seconds.
        app.MapMethods(settings.HealthCheckPath, [HttpMethods.Get, HttpMethods.Head], () => Results.Text("ok"))
            .WithMetadata(HealthProbeMetadata.Instance)
            .WithHttpLogging(HttpLoggingFields.None);
        app.MapGet("/delay/{ms}", async Task<IResult> (string ms, CancellationToken requestAborted) =>
        {
            if (!int.TryParse(ms, NumberStyles.None, CultureInfo.InvariantCulture, out var delay) || delay > MaxDelayMilliseconds)
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest,
                    detail: $"ms must be a whole number of milliseconds from 0 to {MaxDelayMilliseconds}");
            }
            // RequestAborted fires when the client goes away, or when Kestrel cuts what is still running at the
            // drain bound; SIGTERM alone does not fire it, so a request in flight then still completes.
            await Task.Delay(TimeSpan.FromMilliseconds(delay), time, requestAborted);
            return Results.Ok(Info());
        });

        app.Lifetime.ApplicationStarted.Register(() => Log.Started(
            AppLogger(app),
            string.Join(" ", app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? []),
            settings.HealthCheckPath, settings.ShutdownTimeout.TotalSeconds));
        return app;
    }

    /// <summary>
    /// Runs the app until SIGTERM (or until the host stops it) and says what the exit code should be: 0 after a
    /// clean stop; 1 when it could not start or a background service failed, so that ECS replaces the task.
    /// </summary>
    public static async Task<int> RunAsync(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var logger = AppLogger(app);
        try
        {
            try
            {
                await app.StartAsync();
            }
            catch (Exception error) when (error is not OptionsValidationException)
            {
                Log.StartFailed(logger, error.GetBaseException().Message, error);
                return 1;
            }
            await app.WaitForShutdownAsync();
            // The host logs the failure as it happens and stops the app (BackgroundServiceExceptionBehavior.StopHost);
            // the exit code is the app's to set.
            var failed = app.Services.GetServices<IHostedService>().OfType<BackgroundService>()
                .FirstOrDefault(service => service.ExecuteTask is { IsFaulted: true });
            if (failed is not null)
            {
                Log.BackgroundServiceFailed(logger, failed.GetType().Name, failed.ExecuteTask!.Exception!.GetBaseException());
                return 1;
            }
            return 0;
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    /// <summary>The category of the app's own lines (the framework's own are filtered to warnings and up).</summary>
    private static ILogger AppLogger(WebApplication app) => app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("EcsApp");

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
