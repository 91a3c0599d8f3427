using System.Reflection;
using EcsApp.Metadata;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using System.Threading.Channels;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace EcsApp.Tests;

internal static class Patience
{
    /// <summary>Upper bound on any await in the tests; a hang fails the test instead of the run.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
}

/// <summary>The real app in this process on a free loopback port, its log collected by a fake logger.</summary>
internal sealed class RunningApp : IAsyncDisposable
{
    private readonly WebApplication app;

    private RunningApp(WebApplication app, FakeLogCollector log)
    {
        this.app = app;
        Log = log;
    }

    public HttpClient Client { get; private set; } = null!;

    public Uri Address { get; private set; } = null!;

    public FakeLogCollector Log { get; }

    public MetadataProvider Metadata => app.Services.GetRequiredService<MetadataProvider>();

    /// <param name="settings">Configuration values, as the environment variables would give them.</param>
    /// <param name="configure">More registrations before the app is built (a fake clock, a failing service).</param>
    /// <param name="map">More endpoints (one that throws).</param>
    public static WebApplication Build(IDictionary<string, string?>? settings = null, Action<WebApplicationBuilder>? configure = null,
        Action<WebApplication>? map = null)
    {
        var builder = AppHost.CreateBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.Logging.ClearProviders();
        builder.Logging.AddFakeLogging();
        configure?.Invoke(builder);
        var app = AppHost.Build(builder);
        map?.Invoke(app);
        return app;
    }

    public static async Task<RunningApp> StartAsync(IDictionary<string, string?>? settings = null,
        Action<WebApplicationBuilder>? configure = null, Action<WebApplication>? map = null)
    {
        var app = Build(settings, configure, map);
        var running = new RunningApp(app, app.Services.GetRequiredService<FakeLogCollector>());
        await app.StartAsync();
        running.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
        running.Client = new HttpClient { BaseAddress = running.Address, Timeout = Patience.Timeout };
        return running;
    }

    /// <summary>The request log lines (the framework's HTTP logging) as "METHOD PATH STATUS".</summary>
    public IReadOnlyList<string> RequestLog() => Log.GetSnapshot()
        .Where(record => record.Category == "Microsoft.AspNetCore.HttpLogging.HttpLoggingMiddleware")
        .Select(record => $"{record.GetStructuredStateValue("Method")} {record.GetStructuredStateValue("Path")} {record.GetStructuredStateValue("StatusCode")}")
        .ToList();

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

/// <summary>One app for all the tests of a class that only send requests to it.</summary>
public sealed class SharedApp : IAsyncLifetime
{
    internal RunningApp App { get; private set; } = null!;

    public async Task InitializeAsync() => App = await RunningApp.StartAsync();

    public async Task DisposeAsync() => await App.DisposeAsync();
}

/// <summary>A small local HTTP server for the app to talk to: a stand-in metadata endpoint, an app answering 500.</summary>
internal sealed class LocalServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private LocalServer(WebApplication app, Uri address)
    {
        this.app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<LocalServer> StartAsync(Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new LocalServer(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

/// <summary>A local stand-in for the task metadata endpoint v4, answering the documented sample documents.</summary>
internal sealed class FakeMetadataEndpoint : IAsyncDisposable
{
    private readonly LocalServer server;

    private FakeMetadataEndpoint(LocalServer server) => this.server = server;

    public Uri Uri => new(server.Address, "/v4/abc");

    /// <param name="status">Status of every answer.</param>
    /// <param name="body">Replaces both documents, e.g. with garbage.</param>
    /// <param name="containerFixture">The container document (the task document is always the documented sample).</param>
    /// <param name="answerAfter">Each answer waits for this (or for the client to give up).</param>
    public static async Task<FakeMetadataEndpoint> StartAsync(int status = 200, string? body = null,
        string containerFixture = "endpoint-v4-container.json", Task? answerAfter = null)
    {
        var server = await LocalServer.StartAsync(app =>
        {
            async Task<IResult> Answer(string fixture, CancellationToken aborted)
            {
                if (answerAfter is not null)
                {
                    await answerAfter.WaitAsync(aborted);
                }
                return Results.Text(body ?? Fixtures.Read(fixture), "application/json", statusCode: status);
            }
            app.MapGet("/v4/abc", (CancellationToken aborted) => Answer(containerFixture, aborted));
            app.MapGet("/v4/abc/task", (CancellationToken aborted) => Answer("endpoint-v4-task.json", aborted));
        });
        return new FakeMetadataEndpoint(server);
    }

    public ValueTask DisposeAsync() => server.DisposeAsync();
}

/// <summary>
/// A fake clock that also says when code starts waiting on it (each Task.Delay or timeout creates a timer),
/// so a test advances time exactly when the code under test is waiting, without sleeping.
/// </summary>
internal sealed class WaitingTimeProvider : FakeTimeProvider
{
    private readonly Channel<bool> timersCreated = Channel.CreateUnbounded<bool>();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        timersCreated.Writer.TryWrite(true);
        return timer;
    }

    /// <summary>Completes when the code has created a timer not waited for yet (fails the test after the patience).</summary>
    public async Task WaitForTimerAsync()
    {
        using var timeout = new CancellationTokenSource(Patience.Timeout);
        await timersCreated.Reader.ReadAsync(timeout.Token);
    }

    /// <summary>Moves time on by <paramref name="step"/> each time the code waits, until <paramref name="done"/> completes.</summary>
    public async Task AdvanceUntilAsync(Task done, TimeSpan step)
    {
        while (true)
        {
            var timer = WaitForTimerAsync();
            if (await Task.WhenAny(done, timer) == done)
            {
                await done;
                return;
            }
            await timer;
            Advance(step);
        }
    }
}

internal static class Fixtures
{
    public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    public static string Read(string name) => File.ReadAllText(Path(name));

    /// <summary>A fresh temp file name, for tests that write or change a metadata file.</summary>
    public static string TempPath() => System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"ecs-metadata-{Guid.NewGuid():N}.json");

    /// <summary>Replaces a file in one step, as a reader sees it: never half written, never locked.</summary>
    public static void Replace(string path, string content)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, content);
        File.Move(temp, path, overwrite: true);
    }
}

internal static class Repository
{
    private static string Metadata(string key) => typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(attribute => attribute.Key == key).Value!;

    /// <summary>app-image/ in the source tree.</summary>
    public static string AppImage => Metadata("AppImageDirectory");

    /// <summary>The app's project file, for the AOT publish.</summary>
    public static string AppProject => Metadata("EcsAppProject");

    /// <summary>The repository root (global.json, Infra.slnx).</summary>
    public static string Root => System.IO.Path.GetDirectoryName(AppImage.TrimEnd('/'))!;
}
