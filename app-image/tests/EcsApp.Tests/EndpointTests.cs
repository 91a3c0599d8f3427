using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace EcsApp.Tests;

/// <summary>The endpoints of one running app, shared by the tests, which only send it requests.</summary>
public sealed class EndpointTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private RunningApp App => shared.App;

    [Fact]
    public async Task Root_answers_every_field_unknown_outside_ecs_and_counts_requests()
    {
        using var first = JsonDocument.Parse(await App.Client.GetStringAsync(new Uri("/", UriKind.Relative)));
        var root = first.RootElement;
        foreach (var field in new[] { "taskArn", "availabilityZone", "cluster", "containerInstanceArn", "hostPrivateIp", "imageDigest" })
        {
            Assert.Equal("unknown", root.GetProperty(field).GetString());
        }
        Assert.Equal(JsonValueKind.Null, root.GetProperty("hostPort").ValueKind);
        Assert.True(root.GetProperty("startedAt").GetDateTimeOffset() <= DateTimeOffset.UtcNow);
        Assert.True(root.GetProperty("requestCount").GetInt64() >= 1);
    }

    [Fact]
    public async Task Health_answers_200_ok_to_GET_and_HEAD()
    {
        using var get = await App.Client.GetAsync(new Uri("/health", UriKind.Relative));
        using var head = await App.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, new Uri("/health", UriKind.Relative)));
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal("ok", await get.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(get.Content.Headers.ContentType, head.Content.Headers.ContentType);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task No_response_names_the_server()
    {
        using var response = await App.Client.GetAsync(new Uri("/health", UriKind.Relative));
        Assert.False(response.Headers.Contains("Server"));
    }

    [Theory]
    [InlineData("GET", "/delay/abc", 400)]
    [InlineData("GET", "/delay/-1", 400)]
    [InlineData("GET", "/delay/10001", 400)]
    [InlineData("GET", "/delay/1.5", 400)]
    [InlineData("GET", "/nope", 404)]
    [InlineData("GET", "/delay", 404)]
    [InlineData("POST", "/", 405)]
    [InlineData("DELETE", "/health", 405)]
    public async Task Every_error_is_a_problem_details_document(string method, string path, int status)
    {
        using var response = await App.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative)));
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(status, problem.RootElement.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.RootElement.GetProperty("title").GetString()));
        if (status == 400)
        {
            Assert.Contains("0 to 10000", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Requests_are_logged_by_the_framework_and_health_probes_are_neither_logged_nor_counted()
    {
        var marker = $"/nope-{Guid.NewGuid():N}";
        long Count(JsonDocument document) => document.RootElement.GetProperty("requestCount").GetInt64();
        using var before = JsonDocument.Parse(await App.Client.GetStringAsync(new Uri("/", UriKind.Relative)));
        (await App.Client.GetAsync(new Uri("/health", UriKind.Relative))).Dispose();
        (await App.Client.GetAsync(new Uri(marker, UriKind.Relative))).Dispose();
        using var after = JsonDocument.Parse(await App.Client.GetStringAsync(new Uri("/", UriKind.Relative)));

        // Other tests share the app: count only what this one can tell apart.
        Assert.True(Count(after) - Count(before) >= 2, "the 404 and the second / are counted");
        Assert.Contains($"GET {marker} 404", App.RequestLog());
        Assert.DoesNotContain(App.RequestLog(), line => line.StartsWith("GET /health ", StringComparison.Ordinal));
    }
}

public sealed class RequestTests
{
    private static Dictionary<string, string?> Settings(params (string Key, string Value)[] values) =>
        values.ToDictionary(value => value.Key, value => (string?)value.Value);

    [Fact]
    public async Task The_health_path_comes_from_HEALTH_CHECK_PATH_and_is_not_counted()
    {
        await using var app = await RunningApp.StartAsync(Settings((AppOptions.HealthCheckPathKey, "/status/ready")));
        using var custom = await app.Client.GetAsync(new Uri("/status/ready", UriKind.Relative));
        using var default_ = await app.Client.GetAsync(new Uri("/health", UriKind.Relative));
        using var root = JsonDocument.Parse(await app.Client.GetStringAsync(new Uri("/", UriKind.Relative)));
        Assert.Equal(HttpStatusCode.OK, custom.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, default_.StatusCode);
        Assert.Equal(2, root.RootElement.GetProperty("requestCount").GetInt64());
        Assert.Equal(["GET /health 404", "GET / 200"], app.RequestLog());
    }

    [Fact]
    public async Task Delay_answers_like_root_once_the_delay_has_passed()
    {
        var time = new WaitingTimeProvider();
        await using var app = await RunningApp.StartAsync(configure: builder => builder.Services.AddSingleton<TimeProvider>(time));
        var request = app.Client.GetStringAsync(new Uri("/delay/300", UriKind.Relative));
        await time.WaitForTimerAsync();
        time.Advance(TimeSpan.FromMilliseconds(299));
        Assert.False(request.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        using var document = JsonDocument.Parse(await request.WaitAsync(Patience.Timeout));
        Assert.Equal("unknown", document.RootElement.GetProperty("taskArn").GetString());
    }

    [Fact]
    public async Task Delay_stops_waiting_when_the_client_gives_up()
    {
        var time = new WaitingTimeProvider();
        await using var app = await RunningApp.StartAsync(configure: builder => builder.Services.AddSingleton<TimeProvider>(time));
        using var giveUp = new CancellationTokenSource();
        var request = app.Client.GetAsync(new Uri("/delay/10000", UriKind.Relative), giveUp.Token);
        await time.WaitForTimerAsync();
        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);

        // The server notices without any time passing on its clock: the request ends, logged as 499 (client closed).
        await WaitForAsync(() => app.RequestLog().Contains("GET /delay/10000 499"));
    }

    [Fact]
    public async Task A_request_that_throws_is_a_logged_500_problem()
    {
        await using var app = await RunningApp.StartAsync(map: web => web.MapGet("/boom", string () => throw new InvalidOperationException("kaboom")));
        using var response = await app.Client.GetAsync(new Uri("/boom", UriKind.Relative));
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("kaboom", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("GET /boom 500", app.RequestLog());
        var error = Assert.Single(app.Log.GetSnapshot(), record => record.Level == LogLevel.Error);
        Assert.Equal("kaboom", error.Exception?.Message);
    }

    [Fact]
    public async Task A_failing_background_service_is_logged_and_makes_the_exit_code_1()
    {
        var app = RunningApp.Build(configure: builder => builder.Services.AddHostedService<FailingService>());
        var collector = app.Services.GetRequiredService<Microsoft.Extensions.Logging.Testing.FakeLogCollector>();
        var exitCode = await AppHost.RunAsync(app).WaitAsync(Patience.Timeout);
        Assert.Equal(1, exitCode);
        var log = collector.GetSnapshot();
        Assert.Contains(log, record => record.Level >= LogLevel.Error && record.Exception?.Message == "cannot go on");
        Assert.Contains(log, record => record.Level == LogLevel.Critical && record.Message.Contains("FailingService failed", StringComparison.Ordinal));
    }

    /// <summary>Fails once the app is up and serving, as a bug in the metadata loader would.</summary>
    private sealed class FailingService(IHostApplicationLifetime lifetime) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Delay(Timeout.Infinite, lifetime.ApplicationStarted).ContinueWith(_ => { }, TaskScheduler.Default);
            throw new InvalidOperationException("cannot go on");
        }
    }

    [Fact]
    public async Task A_background_service_failing_while_the_app_starts_makes_the_exit_code_1_too()
    {
        var app = RunningApp.Build(configure: builder => builder.Services.AddHostedService<FailingAtOnceService>());
        var collector = app.Services.GetRequiredService<Microsoft.Extensions.Logging.Testing.FakeLogCollector>();
        Assert.Equal(1, await AppHost.RunAsync(app).WaitAsync(Patience.Timeout));
        Assert.Contains(collector.GetSnapshot(), record => record.Level >= LogLevel.Error && record.Exception?.Message == "cannot start");
    }

    private sealed class FailingAtOnceService : BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken) => throw new InvalidOperationException("cannot start");
    }

    internal static async Task WaitForAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Patience.Timeout);
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}
