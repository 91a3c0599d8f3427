using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace EcsApp;

/// <summary>
/// What the app reads from its environment (bound from configuration, so from the environment variables
/// ECS sets), validated when the app starts: <see cref="AppOptionsValidator"/>.
/// </summary>
public sealed class AppOptions
{
    public const string HealthCheckPathKey = "HEALTH_CHECK_PATH";
    public const string ShutdownTimeoutSecondsKey = "SHUTDOWN_TIMEOUT_SECONDS";
    public const string MetadataFileKey = "ECS_CONTAINER_METADATA_FILE";
    public const string MetadataEndpointKey = "ECS_CONTAINER_METADATA_URI_V4";

    /// <summary>Path the ALB health check requests; a literal absolute path.</summary>
    [ConfigurationKeyName(HealthCheckPathKey)]
    public string HealthCheckPath { get; set; } = "/health";

    /// <summary>
    /// How long in-flight requests may run after SIGTERM, in whole seconds, 1-120. Kept as the variable's
    /// text so that a bad value is reported as it was given; read it as <see cref="ShutdownTimeout"/>.
    /// </summary>
    [ConfigurationKeyName(ShutdownTimeoutSecondsKey)]
    public string ShutdownTimeoutSeconds { get; set; } = "25";

    /// <summary>The ECS container metadata file, absent outside ECS.</summary>
    [ConfigurationKeyName(MetadataFileKey)]
    public string? MetadataFile { get; set; }

    /// <summary>The task metadata endpoint v4, an absolute http(s) URI, absent outside ECS; read it as <see cref="MetadataEndpointUri"/>.</summary>
    [ConfigurationKeyName(MetadataEndpointKey)]
    public string? MetadataEndpoint { get; set; }

    /// <summary>How long to wait for the metadata file to reach READY; the agent writes it after the container starts.</summary>
    internal TimeSpan MetadataFileWait { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Pause between two reads of a metadata file that is not READY yet.</summary>
    internal TimeSpan MetadataFilePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Bound on each call to the metadata endpoint.</summary>
    internal TimeSpan MetadataEndpointTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary><see cref="ShutdownTimeoutSeconds"/> once validated.</summary>
    public TimeSpan ShutdownTimeout => TimeSpan.FromSeconds(AppOptionsValidator.ParseSeconds(ShutdownTimeoutSeconds) ?? 25);

    /// <summary><see cref="MetadataEndpoint"/> once validated; null when unset.</summary>
    public Uri? MetadataEndpointUri => AppOptionsValidator.ParseEndpoint(MetadataEndpoint);

    /// <summary><see cref="MetadataFile"/>, null when unset or empty.</summary>
    public string? MetadataFilePath => string.IsNullOrEmpty(MetadataFile) ? null : MetadataFile;
}

/// <summary>
/// Checks <see cref="AppOptions"/> at start (ValidateOnStart); each failure reads
/// <c>Invalid NAME=value: expected …</c>, which the app prints on stderr before exiting 2.
/// </summary>
public sealed partial class AppOptionsValidator : IValidateOptions<AppOptions>
{
    public const string HealthCheckPathExpectation =
        "a literal absolute URL path of letters, digits and ._~- segments, such as /health, other than / and /delay/…, without a query";
    public const string ShutdownTimeoutExpectation = "a whole number of seconds from 1 to 120";
    public const string MetadataEndpointExpectation = "an absolute http:// or https:// URI";

    public ValidateOptionsResult Validate(string? name, AppOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!IsHealthCheckPath(options.HealthCheckPath))
        {
            failures.Add(Failure(AppOptions.HealthCheckPathKey, options.HealthCheckPath, HealthCheckPathExpectation));
        }
        if (ParseSeconds(options.ShutdownTimeoutSeconds) is null)
        {
            failures.Add(Failure(AppOptions.ShutdownTimeoutSecondsKey, options.ShutdownTimeoutSeconds, ShutdownTimeoutExpectation));
        }
        if (!string.IsNullOrEmpty(options.MetadataEndpoint) && ParseEndpoint(options.MetadataEndpoint) is null)
        {
            failures.Add(Failure(AppOptions.MetadataEndpointKey, options.MetadataEndpoint, MetadataEndpointExpectation));
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    internal static string Failure(string key, string value, string expected) => $"Invalid {key}={value}: expected {expected}.";

    /// <summary>
    /// A literal path, so it maps to exactly one route: no route-template characters ({ } * ?), no query,
    /// no empty, "." or ".." segment; and neither "/" nor under "/delay/", which the other endpoints own.
    /// </summary>
    internal static bool IsHealthCheckPath(string? path) =>
        path is not null
        && HealthPathPattern().IsMatch(path)
        && !path.StartsWith("/delay/", StringComparison.OrdinalIgnoreCase)
        && !path.Split('/').Skip(1).Any(segment => segment is "." or "..");

    internal static int? ParseSeconds(string? text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 1 and <= 120 ? seconds : null;

    internal static Uri? ParseEndpoint(string? text) =>
        !string.IsNullOrEmpty(text) && Uri.TryCreate(text, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && !string.IsNullOrEmpty(uri.Host)
            ? uri
            : null;

    [GeneratedRegex(@"^(/[A-Za-z0-9._~-]+)+\z")]
    private static partial Regex HealthPathPattern();
}
