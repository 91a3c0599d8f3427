using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace EcsApp.Tests;

public sealed class EndpointTests : IAsyncLifetime
{
    private RunningApp app = null!;

    public async Task InitializeAsync() => app = await RunningApp.StartAsync();

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task Root_answers_every_field_unknown_outside_ecs_and_counts_requests()
    {
        using var first = JsonDocument.Parse(await app.Client.GetStringAsync("/"));
        using var second = JsonDocument.Parse(await app.Client.GetStringAsync("/"));
        var root = first.RootElement;
        foreach (var field in new[] { "taskArn", "availabilityZone", "cluster", "containerInstanceArn", "hostPrivateIp", "imageDigest" })
        {
            Assert.Equal("unknown", root.GetProperty(field).GetString());
        }
        Assert.Equal(JsonValueKind.Null, root.GetProperty("hostPort").ValueKind);
        Assert.True(root.GetProperty("startedAt").GetDateTimeOffset() <= DateTimeOffset.UtcNow);
        Assert.Equal(root.GetProperty("requestCount").GetInt64() + 1, second.RootElement.GetProperty("requestCount").GetInt64());
    }

    [Fact]
    public async Task Health_answers_200()
    {
        using var response = await app.Client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Delay_answers_like_root_after_the_delay()
    {
        var watch = Stopwatch.StartNew();
        using var document = JsonDocument.Parse(await app.Client.GetStringAsync("/delay/300"));
        Assert.True(watch.ElapsedMilliseconds >= 290, $"{watch.ElapsedMilliseconds} ms");
        Assert.Equal("unknown", document.RootElement.GetProperty("taskArn").GetString());
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("10001")]
    [InlineData("1.5")]
    public async Task Delay_refuses_what_is_not_0_to_10000_ms(string ms)
    {
        using var response = await app.Client.GetAsync($"/delay/{ms}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("0 to 10000", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Unknown_paths_are_404_and_wrong_methods_405()
    {
        using var missing = await app.Client.GetAsync("/nope");
        using var post = await app.Client.PostAsync("/", new StringContent("x"));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
    }

    [Fact]
    public async Task Every_request_is_one_json_log_line()
    {
        await app.Client.GetAsync("/health");
        await app.Client.GetAsync("/nope");
        var requests = app.LogLines.Select(line => JsonDocument.Parse(line).RootElement)
            .Where(entry => entry.GetProperty("event").GetString() == "request").ToList();
        Assert.Equal(["/health 200", "/nope 404"],
            requests.Select(r => $"{r.GetProperty("path").GetString()} {r.GetProperty("status").GetInt32()}"));
        Assert.All(requests, r => Assert.True(r.GetProperty("durationMs").GetDouble() >= 0));
        Assert.All(requests, r => Assert.Equal("GET", r.GetProperty("method").GetString()));
    }
}

public sealed class HealthPathTests
{
    [Fact]
    public async Task The_health_path_comes_from_HEALTH_CHECK_PATH()
    {
        var settings = AppSettings.FromEnvironment(name => name == "HEALTH_CHECK_PATH" ? "/healthz" : null);
        await using var app = await RunningApp.StartAsync(settings);
        using var custom = await app.Client.GetAsync("/healthz");
        using var default_ = await app.Client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, custom.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, default_.StatusCode);
    }
}
