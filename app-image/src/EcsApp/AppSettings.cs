namespace EcsApp;

/// <summary>What the app reads from its environment, validated once at startup.</summary>
public sealed record AppSettings
{
    /// <summary>Path the ALB health check requests (HEALTH_CHECK_PATH, default /health).</summary>
    public string HealthCheckPath { get; init; } = "/health";

    /// <summary>How long in-flight requests may run after SIGTERM (SHUTDOWN_TIMEOUT_SECONDS, default 25).</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(25);

    /// <summary>The ECS container metadata file (ECS_CONTAINER_METADATA_FILE), absent outside ECS.</summary>
    public string? MetadataFile { get; init; }

    /// <summary>The task metadata endpoint v4 (ECS_CONTAINER_METADATA_URI_V4), absent outside ECS.</summary>
    public Uri? MetadataEndpoint { get; init; }

    /// <summary>How long to wait for the metadata file to reach READY; the agent writes it after the container starts.</summary>
    public TimeSpan MetadataFileWait { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Pause between two reads of a metadata file that is not READY yet.</summary>
    public TimeSpan MetadataFilePollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Bound on each call to the metadata endpoint.</summary>
    public TimeSpan MetadataEndpointTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Reads the settings from environment variables; a bad value throws <see cref="SettingsException"/>.</summary>
    public static AppSettings FromEnvironment(Func<string, string?> read)
    {
        var settings = new AppSettings();
        if (read("HEALTH_CHECK_PATH") is { } path)
        {
            if (!path.StartsWith('/') || path.Contains(' ', StringComparison.Ordinal))
            {
                throw new SettingsException("HEALTH_CHECK_PATH", path, "an absolute URL path such as /health");
            }
            settings = settings with { HealthCheckPath = path };
        }
        if (read("SHUTDOWN_TIMEOUT_SECONDS") is { } seconds)
        {
            if (!int.TryParse(seconds, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
                || value < 1 || value > 120)
            {
                throw new SettingsException("SHUTDOWN_TIMEOUT_SECONDS", seconds, "a whole number of seconds from 1 to 120");
            }
            settings = settings with { ShutdownTimeout = TimeSpan.FromSeconds(value) };
        }
        var file = read("ECS_CONTAINER_METADATA_FILE");
        var endpoint = read("ECS_CONTAINER_METADATA_URI_V4");
        return settings with
        {
            MetadataFile = string.IsNullOrEmpty(file) ? null : file,
            MetadataEndpoint = Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) ? uri : null,
        };
    }
}

/// <summary>An environment variable the app cannot start with.</summary>
public sealed class SettingsException(string name, string value, string allowed)
    : Exception($"Invalid {name}={value}: expected {allowed}.");
