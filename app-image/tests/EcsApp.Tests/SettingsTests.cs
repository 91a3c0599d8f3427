using Microsoft.Extensions.Options;

namespace EcsApp.Tests;

/// <summary>The settings as the app reads them: bound from configuration (the environment variables), validated at start.</summary>
public sealed class SettingsTests
{
    private static AppOptions Bound(params (string Name, string Value)[] variables)
    {
        using var app = RunningApp.Build(variables.ToDictionary(v => v.Name, v => (string?)v.Value));
        return app.Services.GetRequiredService<IOptions<AppOptions>>().Value;
    }

    private static OptionsValidationException Refused(params (string Name, string Value)[] variables) =>
        Assert.Throws<OptionsValidationException>(() => Bound(variables));

    [Fact]
    public void Defaults_outside_ecs()
    {
        var settings = Bound();
        Assert.Equal("/health", settings.HealthCheckPath);
        Assert.Equal(TimeSpan.FromSeconds(25), settings.ShutdownTimeout);
        Assert.Null(settings.MetadataFilePath);
        Assert.Null(settings.MetadataEndpointUri);
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/status/ready")]
    [InlineData("/delay")]
    [InlineData("/health.v1/~x_y-z")]
    public void Accepts_literal_health_paths(string path) => Assert.Equal(path, Bound((AppOptions.HealthCheckPathKey, path)).HealthCheckPath);

    [Fact]
    public void Reads_the_variables_ecs_and_the_stack_set()
    {
        var settings = Bound((AppOptions.HealthCheckPathKey, "/healthz"), (AppOptions.ShutdownTimeoutSecondsKey, "10"),
            (AppOptions.MetadataFileKey, "/opt/ecs/metadata/x/ecs-container-metadata.json"),
            (AppOptions.MetadataEndpointKey, "http://169.254.170.2/v4/abc"));
        Assert.Equal("/healthz", settings.HealthCheckPath);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.ShutdownTimeout);
        Assert.Equal("/opt/ecs/metadata/x/ecs-container-metadata.json", settings.MetadataFilePath);
        Assert.Equal(new Uri("http://169.254.170.2/v4/abc"), settings.MetadataEndpointUri);
    }

    [Fact]
    public void The_drain_bound_is_the_hosts_shutdown_timeout()
    {
        using var app = RunningApp.Build(new Dictionary<string, string?> { [AppOptions.ShutdownTimeoutSecondsKey] = "7" });
        Assert.Equal(TimeSpan.FromSeconds(7), app.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
    }

    [Theory]
    [InlineData(AppOptions.ShutdownTimeoutSecondsKey, "0", AppOptionsValidator.ShutdownTimeoutExpectation)]
    [InlineData(AppOptions.ShutdownTimeoutSecondsKey, "121", AppOptionsValidator.ShutdownTimeoutExpectation)]
    [InlineData(AppOptions.ShutdownTimeoutSecondsKey, "ten", AppOptionsValidator.ShutdownTimeoutExpectation)]
    [InlineData(AppOptions.ShutdownTimeoutSecondsKey, "1.5", AppOptionsValidator.ShutdownTimeoutExpectation)]
    [InlineData(AppOptions.HealthCheckPathKey, "health", AppOptionsValidator.HealthCheckPathExpectation)]
    [InlineData(AppOptions.HealthCheckPathKey, "/", AppOptionsValidator.HealthCheckPathExpectation)]
    [InlineData(AppOptions.HealthCheckPathKey, "/delay/5", AppOptionsValidator.HealthCheckPathExpectation)]
    [InlineData(AppOptions.HealthCheckPathKey, "/{status}", AppOptionsValidator.HealthCheckPathExpectation)]
    [InlineData(AppOptions.HealthCheckPathKey, "/{*rest}", AppOptionsValidator.HealthCheckPathExpectation)]
    [InlineData(AppOptions.HealthCheckPathKey, "/health?x", AppOptionsValidator.HealthCheckPathExpectation)]
    [InlineData(AppOptions.HealthCheckPathKey, "/health//x", AppOptionsValidator.HealthCheckPathExpectation)]
    [InlineData(AppOptions.HealthCheckPathKey, "/a/../health", AppOptionsValidator.HealthCheckPathExpectation)]
    [InlineData(AppOptions.HealthCheckPathKey, "/health check", AppOptionsValidator.HealthCheckPathExpectation)]
    [InlineData(AppOptions.HealthCheckPathKey, "/health\n", AppOptionsValidator.HealthCheckPathExpectation)]
    [InlineData(AppOptions.MetadataEndpointKey, "/v4/abc", AppOptionsValidator.MetadataEndpointExpectation)]
    [InlineData(AppOptions.MetadataEndpointKey, "file:///v4/abc", AppOptionsValidator.MetadataEndpointExpectation)]
    [InlineData(AppOptions.MetadataEndpointKey, "169.254.170.2/v4", AppOptionsValidator.MetadataEndpointExpectation)]
    public void Refuses_bad_values_naming_variable_value_and_what_is_allowed(string name, string value, string expected)
    {
        var error = Refused((name, value));
        Assert.Equal([$"Invalid {name}={value}: expected {expected}."], error.Failures);
    }

    [Fact]
    public void Every_bad_value_is_reported_at_once()
    {
        var error = Refused((AppOptions.HealthCheckPathKey, "x"), (AppOptions.ShutdownTimeoutSecondsKey, "0"));
        Assert.Equal(2, error.Failures.Count());
    }
}

public sealed class ListenAddressTests
{
    private static string? UrlsOf(params string[] args)
    {
        var builder = AppHost.CreateBuilder(args);
        return builder.WebHost.GetSetting(Microsoft.AspNetCore.Hosting.WebHostDefaults.ServerUrlsKey);
    }

    [Fact]
    public void Listens_on_8080_on_all_interfaces_by_default() => Assert.Equal("http://+:8080", UrlsOf());

    [Fact]
    public void The_standard_overrides_win()
    {
        Assert.Equal("http://127.0.0.1:0", UrlsOf("--urls", "http://127.0.0.1:0"));
        // ASPNETCORE_HTTP_PORTS (as the image and the stack set it) is left to Kestrel.
        Assert.Null(UrlsOf("--http_ports", "8080"));
    }
}
