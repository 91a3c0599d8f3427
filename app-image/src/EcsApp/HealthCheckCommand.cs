using System.Globalization;
using Microsoft.AspNetCore.Hosting;

namespace EcsApp;

/// <summary>
/// <c>EcsApp --health-check</c>: the container health check for an image with no shell and no curl. Requests
/// the app's own health path on the loopback interface and port it listens on, and exits 0 on a 2xx answer,
/// 1 otherwise (no answer within the timeout, refused, any other status). It starts no web server.
/// </summary>
public static class HealthCheckCommand
{
    public const string Flag = "--health-check";

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The same sources the app reads: environment variables (HEALTH_CHECK_PATH; ASPNETCORE_HTTP_PORTS and
    /// ASPNETCORE_URLS without their prefix, as the web host reads them) and the command line (--urls, --http_ports).
    /// </summary>
    public static IConfiguration ConfigurationFrom(string[] args) => new ConfigurationBuilder()
        .AddEnvironmentVariables()
        .AddEnvironmentVariables("ASPNETCORE_")
        .AddCommandLine(args.Where(arg => arg != Flag).ToArray())
        .Build();

    /// <summary>The URL to probe: http://127.0.0.1:PORT/HEALTH_CHECK_PATH, or null with the reason when the settings are bad.</summary>
    public static Uri? ProbeUri(IConfiguration configuration, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var path = configuration[AppOptions.HealthCheckPathKey] ?? new AppOptions().HealthCheckPath;
        if (!AppOptionsValidator.IsHealthCheckPath(path))
        {
            problem = AppOptionsValidator.Failure(AppOptions.HealthCheckPathKey, path, AppOptionsValidator.HealthCheckPathExpectation);
            return null;
        }
        if (ListenPort(configuration) is not { } port)
        {
            problem = $"no HTTP port in {WebHostDefaults.ServerUrlsKey}={configuration[WebHostDefaults.ServerUrlsKey]}"
                + $" / {WebHostDefaults.HttpPortsKey}={configuration[WebHostDefaults.HttpPortsKey]}";
            return null;
        }
        problem = null;
        return new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}{path}");
    }

    /// <summary>
    /// The port Kestrel listens on, by its own precedence: the first http URL of URLS (which wins over
    /// HTTP_PORTS), else the first of HTTP_PORTS, else the app's default URL (<see cref="AppHost.DefaultUrl"/>).
    /// </summary>
    internal static int? ListenPort(IConfiguration configuration)
    {
        var urls = configuration[WebHostDefaults.ServerUrlsKey];
        if (string.IsNullOrEmpty(urls) && configuration[WebHostDefaults.HttpPortsKey] is { Length: > 0 } ports)
        {
            var first = ports.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
            return int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535 ? port : null;
        }
        foreach (var url in (string.IsNullOrEmpty(urls) ? AppHost.DefaultUrl : urls).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // Kestrel's wildcard hosts (+, *) are not valid URI hosts: any host does to read the port.
            var parsable = url.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal);
            if (Uri.TryCreate(parsable, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp)
            {
                return uri.Port;
            }
        }
        return null;
    }

    /// <summary>Probes once; writes one line saying what it found (Docker keeps it in the container's health log).</summary>
    public static async Task<int> RunAsync(IConfiguration configuration, TextWriter output, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (ProbeUri(configuration, out var problem) is not { } uri)
        {
            await output.WriteLineAsync($"unhealthy: {problem}");
            return 1;
        }
        // Loopback, so never through a proxy that HTTP_PROXY might name.
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = timeout ?? DefaultTimeout };
        try
        {
            using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead);
            var status = (int)response.StatusCode;
            await output.WriteLineAsync($"{(response.IsSuccessStatusCode ? "healthy" : "unhealthy")}: GET {uri} answered {status}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
        {
            var reason = error is TaskCanceledException ? $"no answer within {http.Timeout.TotalSeconds:0.#} s" : error.Message;
            await output.WriteLineAsync($"unhealthy: GET {uri}: {reason}");
            return 1;
        }
    }
}
