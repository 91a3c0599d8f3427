namespace EcsApp.Tests;

public sealed class SettingsTests
{
    private static AppSettings From(params (string Name, string Value)[] variables) =>
        AppSettings.FromEnvironment(name => variables.FirstOrDefault(v => v.Name == name).Value);

    [Fact]
    public void Defaults_outside_ecs()
    {
        var settings = From();
        Assert.Equal("/health", settings.HealthCheckPath);
        Assert.Equal(TimeSpan.FromSeconds(25), settings.ShutdownTimeout);
        Assert.Null(settings.MetadataFile);
        Assert.Null(settings.MetadataEndpoint);
    }

    [Fact]
    public void Reads_the_variables_ecs_and_the_stack_set()
    {
        var settings = From(("HEALTH_CHECK_PATH", "/healthz"), ("SHUTDOWN_TIMEOUT_SECONDS", "10"),
            ("ECS_CONTAINER_METADATA_FILE", "/opt/ecs/metadata/x/ecs-container-metadata.json"),
            ("ECS_CONTAINER_METADATA_URI_V4", "http://169.254.170.2/v4/abc"));
        Assert.Equal("/healthz", settings.HealthCheckPath);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.ShutdownTimeout);
        Assert.Equal("/opt/ecs/metadata/x/ecs-container-metadata.json", settings.MetadataFile);
        Assert.Equal(new Uri("http://169.254.170.2/v4/abc"), settings.MetadataEndpoint);
    }

    [Theory]
    [InlineData("SHUTDOWN_TIMEOUT_SECONDS", "0", "a whole number of seconds from 1 to 120")]
    [InlineData("SHUTDOWN_TIMEOUT_SECONDS", "121", "a whole number of seconds from 1 to 120")]
    [InlineData("SHUTDOWN_TIMEOUT_SECONDS", "ten", "a whole number of seconds from 1 to 120")]
    [InlineData("HEALTH_CHECK_PATH", "health", "an absolute URL path")]
    public void Refuses_bad_values_naming_variable_value_and_what_is_allowed(string name, string value, string allowed)
    {
        var error = Assert.Throws<SettingsException>(() => From((name, value)));
        Assert.StartsWith($"Invalid {name}={value}: expected {allowed}", error.Message);
    }
}
