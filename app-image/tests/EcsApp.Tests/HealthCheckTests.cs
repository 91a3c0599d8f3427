using Microsoft.Extensions.Configuration;

namespace EcsApp.Tests;

/// <summary><c>EcsApp --health-check</c> in this process: the container health check's verdict on a healthy app, a dead one, a sick one.</summary>
public sealed class HealthCheckTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values) => new ConfigurationBuilder()
        .AddInMemoryCollection(values.Select(value => new KeyValuePair<string, string?>(value.Key, value.Value)))
        .Build();

    private static async Task<(int ExitCode, string Output)> CheckAsync(IConfiguration configuration, TimeSpan? timeout = null)
    {
        using var output = new StringWriter();
        var exitCode = await HealthCheckCommand.RunAsync(configuration, output, timeout).WaitAsync(Patience.Timeout);
        return (exitCode, output.ToString());
    }

    [Fact]
    public async Task A_healthy_app_exits_0()
    {
        await using var app = await RunningApp.StartAsync(new Dictionary<string, string?> { [AppOptions.HealthCheckPathKey] = "/healthz" });
        var (exitCode, output) = await CheckAsync(Config(("urls", app.Address.AbsoluteUri), (AppOptions.HealthCheckPathKey, "/healthz")));
        Assert.Equal(0, exitCode);
        Assert.Equal($"healthy: GET http://127.0.0.1:{app.Address.Port}/healthz answered 200", output.Trim());
    }

    [Fact]
    public async Task An_app_that_is_down_exits_1()
    {
        // A port that was free a moment ago: nothing listens there now.
        int port;
        await using (var app = await RunningApp.StartAsync())
        {
            port = app.Address.Port;
        }
        var (exitCode, output) = await CheckAsync(Config(("http_ports", port.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        Assert.Equal(1, exitCode);
        Assert.StartsWith($"unhealthy: GET http://127.0.0.1:{port}/health:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_app_answering_500_exits_1()
    {
        await using var sick = await LocalServer.StartAsync(app => app.MapGet("/health", () => Results.StatusCode(500)));
        var (exitCode, output) = await CheckAsync(Config(("urls", sick.Address.AbsoluteUri)));
        Assert.Equal(1, exitCode);
        Assert.Contains("answered 500", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_app_that_does_not_answer_in_time_exits_1()
    {
        var never = new TaskCompletionSource();
        await using var stuck = await LocalServer.StartAsync(app => app.MapGet("/health", (CancellationToken aborted) => never.Task.WaitAsync(aborted)));
        var (exitCode, output) = await CheckAsync(Config(("urls", stuck.Address.AbsoluteUri)), TimeSpan.FromMilliseconds(200));
        Assert.Equal(1, exitCode);
        Assert.Contains("no answer within 0.2 s", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_health_path_exits_1_naming_it()
    {
        var (exitCode, output) = await CheckAsync(Config((AppOptions.HealthCheckPathKey, "/{*rest}")));
        Assert.Equal(1, exitCode);
        Assert.Contains("Invalid HEALTH_CHECK_PATH=/{*rest}", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null, 8080)]
    [InlineData(null, "8081", 8081)]
    [InlineData(null, "8082;8083", 8082)]
    [InlineData("http://+:9000", "8081", 9000)]
    [InlineData("http://*:9001", null, 9001)]
    [InlineData("https://0.0.0.0:9443;http://0.0.0.0:9002", null, 9002)]
    [InlineData(null, "eighty", null)]
    [InlineData("https://+:9443", null, null)]
    public void It_probes_the_port_the_app_listens_on(string? urls, string? httpPorts, int? port)
    {
        var values = new List<(string, string)>();
        if (urls is not null) values.Add(("urls", urls));
        if (httpPorts is not null) values.Add(("http_ports", httpPorts));
        Assert.Equal(port, HealthCheckCommand.ListenPort(Config([.. values])));
    }

    [Fact]
    public void It_reads_the_variables_the_container_has()
    {
        var configuration = HealthCheckCommand.ConfigurationFrom(["--health-check", "--http_ports", "8085"]);
        Assert.Equal(new Uri("http://127.0.0.1:8085/health"), HealthCheckCommand.ProbeUri(configuration, out _));
    }
}
