using System.Text.Json;

namespace EcsApp.Metadata;

/// <summary>
/// Loads the task's metadata once, in the background, so the app answers at once: the endpoint first
/// (quick), then the metadata file until the agent marks it READY, field by field preferring the file.
/// Any source missing, late or garbage leaves its fields unknown and is reported in one warning.
/// </summary>
public sealed class MetadataProvider(AppSettings settings, JsonLog log) : BackgroundService
{
    private volatile MetadataSnapshot current = MetadataSnapshot.Unknown;
    private readonly TaskCompletionSource loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>What is known now; unknown fields until loading ends.</summary>
    public MetadataSnapshot Current => current;

    /// <summary>Completes when loading has ended, with whatever it found.</summary>
    public Task Loaded => loaded.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var problems = new List<string>();
        try
        {
            var fromEndpoint = await ReadEndpointAsync(problems, stoppingToken);
            current = fromEndpoint;
            var fromFile = await ReadFileAsync(problems, stoppingToken);
            current = fromFile.Or(fromEndpoint);
            var missing = current.MissingFields();
            if (missing.Count > 0)
            {
                log.Warning("task metadata incomplete; these fields answer unknown", missing, problems);
            }
        }
        finally
        {
            loaded.TrySetResult();
        }
    }

    private async Task<MetadataSnapshot> ReadEndpointAsync(List<string> problems, CancellationToken stoppingToken)
    {
        if (settings.MetadataEndpoint is not { } endpoint)
        {
            problems.Add("ECS_CONTAINER_METADATA_URI_V4 is not set (not running on ECS?)");
            return MetadataSnapshot.Unknown;
        }
        try
        {
            using var http = new HttpClient { Timeout = settings.MetadataEndpointTimeout };
            return await TaskMetadataEndpoint.ReadAsync(http, endpoint, stoppingToken);
        }
        catch (Exception error) when (error is HttpRequestException or JsonException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
        {
            problems.Add($"task metadata endpoint {endpoint}: {error.Message}");
            return MetadataSnapshot.Unknown;
        }
    }

    private async Task<MetadataSnapshot> ReadFileAsync(List<string> problems, CancellationToken stoppingToken)
    {
        if (settings.MetadataFile is not { } path)
        {
            problems.Add("ECS_CONTAINER_METADATA_FILE is not set (ECS_ENABLE_CONTAINER_METADATA is off on the host?)");
            return MetadataSnapshot.Unknown;
        }
        var deadline = DateTime.UtcNow + settings.MetadataFileWait;
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
            if (DateTime.UtcNow + settings.MetadataFilePollInterval > deadline)
            {
                problems.Add($"metadata file {path} not READY after {settings.MetadataFileWait.TotalSeconds:0.#} s: {lastError}");
                return latest;
            }
            await Task.Delay(settings.MetadataFilePollInterval, stoppingToken);
        }
    }
}
