using EcsApp.Metadata;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace EcsApp.Tests;

/// <summary>The real app on a free loopback port, with its log captured.</summary>
internal sealed class RunningApp : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly StringWriter log = new();

    private RunningApp(AppSettings settings)
    {
        app = AppHost.Build(["--urls", "http://127.0.0.1:0"], settings, log);
    }

    public HttpClient Client { get; private set; } = null!;

    public MetadataProvider Metadata => app.Services.GetRequiredService<MetadataProvider>();

    public string[] LogLines
    {
        get
        {
            lock (log)
            {
                return log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            }
        }
    }

    public static async Task<RunningApp> StartAsync(AppSettings? settings = null)
    {
        var running = new RunningApp(settings ?? new AppSettings());
        await running.app.StartAsync();
        var address = running.app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        running.Client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(15) };
        return running;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

/// <summary>A local stand-in for the task metadata endpoint v4, answering the documented sample documents.</summary>
internal sealed class FakeMetadataEndpoint : IAsyncDisposable
{
    private readonly WebApplication app;

    private FakeMetadataEndpoint(WebApplication app) => this.app = app;

    public Uri Uri { get; private set; } = null!;

    /// <param name="status">Status of every answer.</param>
    /// <param name="delay">How long each answer takes.</param>
    /// <param name="body">Replaces both documents, e.g. with garbage.</param>
    public static async Task<FakeMetadataEndpoint> StartAsync(int status = 200, TimeSpan delay = default, string? body = null)
    {
        var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        async Task<IResult> Answer(string fixture)
        {
            await Task.Delay(delay);
            return Results.Text(body ?? Fixtures.Read(fixture), "application/json", statusCode: status);
        }
        app.MapGet("/v4/abc", () => Answer("endpoint-v4-container.json"));
        app.MapGet("/v4/abc/task", () => Answer("endpoint-v4-task.json"));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new FakeMetadataEndpoint(app) { Uri = new Uri($"{address}/v4/abc") };
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

internal static class Fixtures
{
    public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    public static string Read(string name) => File.ReadAllText(Path(name));

    /// <summary>A copy of a fixture (or of nothing yet) in a fresh temp file, for tests that change it.</summary>
    public static string TempCopy(string? name)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"ecs-metadata-{Guid.NewGuid():N}.json");
        if (name is not null)
        {
            File.Copy(Path(name), path);
        }
        return path;
    }
}
