using System.Text.Json;
using EcsApp.Metadata;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace EcsApp.Tests;

/// <summary>
/// The metadata loader on its own (no web app) against the documented samples (Fixtures/README.md names their pages):
/// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/metadata-file-format.html and
/// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-metadata-endpoint-v4-examples.html
/// Waiting (the file's polls, the endpoint's timeout) runs on a fake clock.
/// </summary>
public sealed class MetadataTests
{
    private const string DocumentedFileTaskArn = "arn:aws:ecs:us-west-2:012345678910:task/default/2b88376d-aba3-4950-9ddf-bcb0f388a40c";
    private const string DocumentedEndpointTaskArn = "arn:aws:ecs:us-west-2:111122223333:task/default/158d1c8083dd49d6b527399fd6414f5c";
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private static AppOptions Settings(string? file = null, Uri? endpoint = null) => new()
    {
        MetadataFile = file,
        MetadataEndpoint = endpoint?.AbsoluteUri,
    };

    /// <summary>The loader with a fake logger, on <paramref name="time"/>, started.</summary>
    private sealed class Loader : IAsyncDisposable
    {
        public FakeLogger<MetadataProvider> Log { get; } = new();
        public MetadataProvider Provider { get; }

        public Loader(AppOptions settings, TimeProvider time)
        {
            Provider = new MetadataProvider(Options.Create(settings), time, Log);
        }

        public IReadOnlyList<string> Warnings => Log.Collector.GetSnapshot().Where(r => r.Level == LogLevel.Warning).Select(r => r.Message).ToList();

        public async ValueTask DisposeAsync()
        {
            await Provider.StopAsync(CancellationToken.None);
            Provider.Dispose();
        }
    }

    /// <summary>Loads to the end, moving the fake clock on a poll interval each time the loader waits.</summary>
    private static async Task<(MetadataSnapshot Snapshot, IReadOnlyList<string> Warnings)> LoadAsync(AppOptions settings)
    {
        var time = new WaitingTimeProvider();
        await using var loader = new Loader(settings, time);
        await loader.Provider.StartAsync(CancellationToken.None);
        await time.AdvanceUntilAsync(loader.Provider.Loaded, PollInterval);
        return (loader.Provider.Current, loader.Warnings);
    }

    [Fact]
    public async Task The_documented_ready_file_gives_every_field_and_no_warning()
    {
        var (snapshot, warnings) = await LoadAsync(Settings(file: Fixtures.Path("metadata-file-ready.json")));
        Assert.Equal(new MetadataSnapshot(
            TaskArn: DocumentedFileTaskArn,
            AvailabilityZone: "us-east-1b",
            Cluster: "default",
            ContainerInstanceArn: "arn:aws:ecs:us-west-2:012345678910:container-instance/default/1f73d099-b914-411c-a9ff-81633b7741dd",
            HostPrivateIp: "192.0.2.0",
            HostPort: 80,
            // ImageName is a tag (httpd:2.4), so the digest is the image ID.
            ImageDigest: "sha256:2ae34abc2ed0a22e280d17e13f9c01aaf725688b09b7a1525d1a2750e2c0d1de"), snapshot);
        Assert.Empty(warnings);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("metadata-file-not-ready.json")]
    [InlineData("{\"Cluster\": \"def")]
    public async Task The_file_is_read_again_until_the_agent_marks_it_ready(string? firstContent)
    {
        var path = Fixtures.TempPath();
        if (firstContent is not null)
        {
            Fixtures.Replace(path, firstContent.EndsWith(".json", StringComparison.Ordinal) ? Fixtures.Read(firstContent) : firstContent);
        }
        try
        {
            var time = new WaitingTimeProvider();
            await using var loader = new Loader(Settings(file: path), time);
            await loader.Provider.StartAsync(CancellationToken.None);
            // It has read the file once and waits to read it again.
            await time.WaitForTimerAsync();
            Assert.False(loader.Provider.Loaded.IsCompleted);
            Fixtures.Replace(path, Fixtures.Read("metadata-file-ready.json"));
            time.Advance(PollInterval);
            await loader.Provider.Loaded.WaitAsync(Patience.Timeout);
            Assert.Equal("us-east-1b", loader.Provider.Current.AvailabilityZone);
            Assert.Equal(80, loader.Provider.Current.HostPort);
            Assert.Empty(loader.Warnings);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_file_that_never_gets_ready_keeps_what_it_has_and_warns_once_after_60_s()
    {
        var (snapshot, warnings) = await LoadAsync(Settings(file: Fixtures.Path("metadata-file-not-ready.json")));
        Assert.Equal("default", snapshot.Cluster);
        Assert.Equal("arn:aws:ecs:us-west-2:012345678910:task/default/d90675f8-1a98-444b-805b-3d9cabb6fcd4", snapshot.TaskArn);
        Assert.Null(snapshot.AvailabilityZone);
        var warning = Assert.Single(warnings);
        Assert.Contains("not READY after 60 s", warning, StringComparison.Ordinal);
        Assert.Contains("availabilityZone", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_garbage_file_leaves_fields_unknown_without_crashing()
    {
        var path = Fixtures.TempPath();
        Fixtures.Replace(path, "{\"MetadataFileStatus\": READY");
        try
        {
            var (snapshot, warnings) = await LoadAsync(Settings(file: path));
            Assert.Equal(MetadataSnapshot.Unknown, snapshot);
            Assert.Single(warnings);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Outside_ecs_everything_is_unknown_with_one_warning_naming_both_sources()
    {
        var time = new WaitingTimeProvider();
        await using var loader = new Loader(Settings(), time);
        await loader.Provider.StartAsync(CancellationToken.None);
        await loader.Provider.Loaded.WaitAsync(Patience.Timeout);
        Assert.Equal(MetadataSnapshot.Unknown, loader.Provider.Current);
        var warning = Assert.Single(loader.Log.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning);
        var reasons = warning.GetStructuredStateValue("Reasons")!;
        Assert.Contains("ECS_CONTAINER_METADATA_URI_V4 is not set", reasons, StringComparison.Ordinal);
        Assert.Contains("ECS_CONTAINER_METADATA_FILE is not set", reasons, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_documented_v4_responses_fill_what_they_know_when_the_file_is_absent()
    {
        await using var endpoint = await FakeMetadataEndpoint.StartAsync();
        var (snapshot, warnings) = await LoadAsync(Settings(file: Fixtures.Path("no-such-file.json"), endpoint: endpoint.Uri));
        Assert.Equal(new MetadataSnapshot(
            TaskArn: DocumentedEndpointTaskArn,
            AvailabilityZone: "us-west-2d",
            Cluster: "default",
            ImageDigest: "sha256:d691691e9652791a60114e67b365688d20d19940dde7c4736ea30e660d8d3553"), snapshot);
        var warning = Assert.Single(warnings);
        Assert.Contains("hostPrivateIp", warning, StringComparison.Ordinal);
        Assert.Contains("no-such-file.json", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_bridge_mode_the_endpoint_gives_the_ipv4_host_port_and_the_digest_the_image_was_pulled_by()
    {
        await using var endpoint = await FakeMetadataEndpoint.StartAsync(containerFixture: "endpoint-v4-container-bridge.json");
        var (snapshot, _) = await LoadAsync(Settings(endpoint: endpoint.Uri));
        Assert.Equal(49153, snapshot.HostPort);
        Assert.Equal("sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", snapshot.ImageDigest);
    }

    [Fact]
    public async Task The_file_gives_the_ipv4_host_port_and_the_digest_the_image_was_pulled_by()
    {
        var path = Fixtures.TempPath();
        Fixtures.Replace(path, """
            {
                "ImageID": "sha256:2ae34abc2ed0a22e280d17e13f9c01aaf725688b09b7a1525d1a2750e2c0d1de",
                "ImageName": "012345678910.dkr.ecr.us-east-1.amazonaws.com/app@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                "PortMappings": [
                    { "ContainerPort": 8080, "HostPort": 32769, "BindIp": "::", "Protocol": "tcp" },
                    { "ContainerPort": 8080, "HostPort": 32768, "BindIp": "0.0.0.0", "Protocol": "tcp" }
                ],
                "MetadataFileStatus": "READY"
            }
            """);
        try
        {
            var (snapshot, _) = await LoadAsync(Settings(file: path));
            Assert.Equal(32768, snapshot.HostPort);
            Assert.Equal("sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", snapshot.ImageDigest);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task The_file_wins_field_by_field_and_the_endpoint_fills_the_gaps()
    {
        var path = Fixtures.TempPath();
        Fixtures.Replace(path, """{"MetadataFileStatus": "READY", "HostPrivateIPv4Address": "10.0.0.9", "AvailabilityZone": "us-east-1a"}""");
        try
        {
            await using var endpoint = await FakeMetadataEndpoint.StartAsync();
            var (snapshot, _) = await LoadAsync(Settings(file: path, endpoint: endpoint.Uri));
            Assert.Equal("10.0.0.9", snapshot.HostPrivateIp);
            Assert.Equal("us-east-1a", snapshot.AvailabilityZone);
            Assert.Equal(DocumentedEndpointTaskArn, snapshot.TaskArn);
            Assert.Equal("default", snapshot.Cluster);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(500, null, "500")]
    [InlineData(200, "<html>not json</html>", "invalid")]
    [InlineData(200, "[1, 2, 3]", "did not answer a JSON object")]
    public async Task A_broken_or_garbage_endpoint_is_survived_and_reported(int status, string? body, string reason)
    {
        await using var endpoint = await FakeMetadataEndpoint.StartAsync(status, body);
        var (snapshot, warnings) = await LoadAsync(Settings(endpoint: endpoint.Uri));
        Assert.Equal(MetadataSnapshot.Unknown, snapshot);
        var warning = Assert.Single(warnings);
        Assert.Contains("task metadata endpoint", warning, StringComparison.Ordinal);
        Assert.Contains(reason, warning, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_endpoint_that_does_not_answer_is_given_up_after_2_s()
    {
        var never = new TaskCompletionSource();
        await using var endpoint = await FakeMetadataEndpoint.StartAsync(answerAfter: never.Task);
        var time = new WaitingTimeProvider();
        await using var loader = new Loader(Settings(endpoint: endpoint.Uri), time);
        await loader.Provider.StartAsync(CancellationToken.None);
        await time.WaitForTimerAsync();
        time.Advance(TimeSpan.FromSeconds(1.9));
        Assert.False(loader.Provider.Loaded.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.1));
        await loader.Provider.Loaded.WaitAsync(Patience.Timeout);
        Assert.Equal(MetadataSnapshot.Unknown, loader.Provider.Current);
        Assert.Contains("no answer within 2 s", Assert.Single(loader.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bug_fails_the_loader_loudly_instead_of_leaving_it_silent()
    {
        // A relative endpoint never passes validation; here it stands for any unexpected failure.
        var settings = Settings();
        settings.MetadataEndpoint = "http://127.0.0.1:1/v4/abc";
        settings.MetadataEndpointTimeout = TimeSpan.FromSeconds(-5);
        await using var loader = new Loader(settings, TimeProvider.System);
        await loader.Provider.StartAsync(CancellationToken.None);
        await Assert.ThrowsAnyAsync<ArgumentException>(() => loader.Provider.Loaded.WaitAsync(Patience.Timeout));
        Assert.True(loader.Provider.ExecuteTask!.IsFaulted);
    }
}

/// <summary>The loader inside the app: requests do not wait for it.</summary>
public sealed class MetadataInAppTests
{
    [Fact]
    public async Task Requests_answer_at_once_while_metadata_is_still_loading()
    {
        var release = new TaskCompletionSource();
        await using var endpoint = await FakeMetadataEndpoint.StartAsync(answerAfter: release.Task);
        await using var app = await RunningApp.StartAsync(new Dictionary<string, string?> { [AppOptions.MetadataEndpointKey] = endpoint.Uri.AbsoluteUri });
        using var document = JsonDocument.Parse(await app.Client.GetStringAsync(new Uri("/", UriKind.Relative)));
        Assert.False(app.Metadata.Loaded.IsCompleted);
        Assert.Equal("unknown", document.RootElement.GetProperty("taskArn").GetString());

        release.SetResult();
        await app.Metadata.Loaded.WaitAsync(Patience.Timeout);
        using var later = JsonDocument.Parse(await app.Client.GetStringAsync(new Uri("/", UriKind.Relative)));
        Assert.Equal(DocumentedEndpointTaskArn, later.RootElement.GetProperty("taskArn").GetString());
        Assert.Equal("us-west-2d", later.RootElement.GetProperty("availabilityZone").GetString());
    }

    private const string DocumentedEndpointTaskArn = "arn:aws:ecs:us-west-2:111122223333:task/default/158d1c8083dd49d6b527399fd6414f5c";
}
