using System.Text.Json;
using Microsoft.Extensions.Options;

namespace EcsApp.Metadata;

/// <summary>
/// Loads the task's metadata once, in the background, so the app answers at once: the endpoint first
/// (quick), then the metadata file until the agent marks it READY, field by field preferring the file.
/// A source that is missing, late or garbage leaves its fields unknown and is reported in one warning;
/// anything else is a bug, which fails the service, so the host stops and the app exits 1.
/// </summary>
public sealed class MetadataProvider(IOptions<AppOptions> options, TimeProvider time, ILogger<MetadataProvider> logger) : BackgroundService
{
    private readonly AppOptions settings = options.Value;
    private volatile MetadataSnapshot current = MetadataSnapshot.Unknown;
    private readonly TaskCompletionSource loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>What is known now; unknown fields until loading ends.</summary>
    public MetadataSnapshot Current => current;

    /// <summary>Completes when loading has ended, with whatever it found (faults if loading failed on a bug).</summary>
    public Task Loaded => loaded.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var problems = new List<string>();
            var fromEndpoint = await ReadEndpointAsync(problems, stoppingToken);
            current = fromEndpoint;
            var fromFile = await ReadFileAsync(problems, stoppingToken);
            current = fromFile.Or(fromEndpoint);
            var missing = current.MissingFields();
            if (missing.Count > 0)
            {
                Log.MetadataIncomplete(logger, string.Join(", ", missing), string.Join("; ", problems));
            }
            else
            {
                Log.MetadataLoaded(logger, current.TaskArn, current.AvailabilityZone, current.HostPort);
            }
            loaded.TrySetResult();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            loaded.TrySetCanceled(stoppingToken);
        }
        catch (Exception error)
        {
            loaded.TrySetException(error);
            throw;
        }
    }

    private async Task<MetadataSnapshot> ReadEndpointAsync(List<string> problems, CancellationToken stoppingToken)
    {
        if (settings.MetadataEndpointUri is not { } endpoint)
        {
            problems.Add($"{AppOptions.MetadataEndpointKey} is not set (not running on ECS?)");
            return MetadataSnapshot.Unknown;
        }
        using var timeout = new CancellationTokenSource(settings.MetadataEndpointTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timeout.Token);
        try
        {
            // A link-local address (169.254.170.2): never through a proxy that HTTP_PROXY might name.
            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = Timeout.InfiniteTimeSpan };
            return await TaskMetadataEndpoint.ReadAsync(http, endpoint, linked.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
        {
            problems.Add($"task metadata endpoint {endpoint}: no answer within {settings.MetadataEndpointTimeout.TotalSeconds:0.#} s");
            return MetadataSnapshot.Unknown;
        }
        catch (Exception error) when (error is HttpRequestException or JsonException)
        {
            problems.Add($"task metadata endpoint {endpoint}: {error.Message}");
            return MetadataSnapshot.Unknown;
        }
    }

    private async Task<MetadataSnapshot> ReadFileAsync(List<string> problems, CancellationToken stoppingToken)
    {
        if (settings.MetadataFilePath is not { } path)
        {
            problems.Add($"{AppOptions.MetadataFileKey} is not set (ECS_ENABLE_CONTAINER_METADATA is off on the host?)");
            return MetadataSnapshot.Unknown;
        }
        var deadline = time.GetUtcNow() + settings.MetadataFileWait;
        var latest = MetadataSnapshot.Unknown;
        var lastError = "it stayed NOT_READY";
        while (true)
        {
            try
            {
                var reading = await ContainerMetadataFile.ReadAsync(path, stoppingToken);
                if (reading.Ready)
                {
                    return reading.Snapshot;
                }
                latest = reading.Snapshot;
            }
            // The agent writes the file after the container starts: absent or half-written means "not yet".
            catch (Exception error) when (error is IOException or UnauthorizedAccessException or JsonException)
            {
                lastError = error.Message;
            }
            if (time.GetUtcNow() + settings.MetadataFilePollInterval > deadline)
            {
                problems.Add($"metadata file {path} not READY after {settings.MetadataFileWait.TotalSeconds:0.#} s: {lastError}");
                return latest;
            }
            await Task.Delay(settings.MetadataFilePollInterval, time, stoppingToken);
        }
    }
}
