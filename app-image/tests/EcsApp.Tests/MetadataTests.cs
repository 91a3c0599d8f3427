using System.Text.Json;
using EcsApp.Metadata;

namespace EcsApp.Tests;

public sealed class MetadataTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static AppSettings Settings(string? file = null, Uri? endpoint = null, double waitSeconds = 2) => new()
    {
        MetadataFile = file,
        MetadataEndpoint = endpoint,
        MetadataFileWait = TimeSpan.FromSeconds(waitSeconds),
        MetadataFilePollInterval = TimeSpan.FromMilliseconds(50),
        MetadataEndpointTimeout = TimeSpan.FromSeconds(1.5),
    };

    private static async Task<(MetadataSnapshot Snapshot, string[] Warnings)> LoadAsync(AppSettings settings)
    {
        await using var app = await RunningApp.StartAsync(settings);
        await app.Metadata.Loaded.WaitAsync(Patience);
        var warnings = app.LogLines.Where(line => line.Contains("\"level\":\"warning\"", StringComparison.Ordinal)).ToArray();
        return (app.Metadata.Current, warnings);
    }

    [Fact]
    public async Task A_ready_metadata_file_gives_every_field()
    {
        var (snapshot, warnings) = await LoadAsync(Settings(file: Fixtures.Path("metadata-file-ready.json")));
        Assert.Equal(new MetadataSnapshot(
            TaskArn: "arn:aws:ecs:us-east-1:012345678910:task/ecs-on-ec2-dev/2b88376daba349509ddfbcb0f388a40c",
            AvailabilityZone: "us-east-1b",
            Cluster: "ecs-on-ec2-dev",
            ContainerInstanceArn: "arn:aws:ecs:us-east-1:012345678910:container-instance/ecs-on-ec2-dev/1f73d099b914411ca9ff81633b7741dd",
            HostPrivateIp: "172.31.16.20",
            HostPort: 49153,
            ImageDigest: "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"), snapshot);
        Assert.Empty(warnings);
    }

    [Fact]
    public async Task The_file_is_read_again_until_the_agent_marks_it_ready()
    {
        var path = Fixtures.TempCopy("metadata-file-not-ready.json");
        try
        {
            await using var app = await RunningApp.StartAsync(Settings(file: path, waitSeconds: 5));
            await Task.Delay(300);
            Assert.False(app.Metadata.Loaded.IsCompleted);
            File.Copy(Fixtures.Path("metadata-file-ready.json"), path, overwrite: true);
            await app.Metadata.Loaded.WaitAsync(Patience);
            Assert.Equal("us-east-1b", app.Metadata.Current.AvailabilityZone);
            Assert.Equal(49153, app.Metadata.Current.HostPort);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_file_that_never_gets_ready_keeps_what_it_has_and_warns_once()
    {
        var (snapshot, warnings) = await LoadAsync(Settings(file: Fixtures.Path("metadata-file-not-ready.json"), waitSeconds: 0.3));
        Assert.Equal("ecs-on-ec2-dev", snapshot.Cluster);
        Assert.Null(snapshot.AvailabilityZone);
        var warning = Assert.Single(warnings);
        Assert.Contains("not READY after 0.3 s", warning);
        Assert.Contains("availabilityZone", warning);
    }

    [Fact]
    public async Task A_garbage_file_leaves_fields_unknown_without_crashing()
    {
        var path = Fixtures.TempCopy(null);
        await File.WriteAllTextAsync(path, "{\"MetadataFileStatus\": READY");
        try
        {
            var (snapshot, warnings) = await LoadAsync(Settings(file: path, waitSeconds: 0.2));
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
        var (snapshot, warnings) = await LoadAsync(Settings());
        Assert.Equal(MetadataSnapshot.Unknown, snapshot);
        var warning = JsonDocument.Parse(Assert.Single(warnings)).RootElement;
        var reasons = warning.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()).ToList();
        Assert.Contains(reasons, r => r!.StartsWith("ECS_CONTAINER_METADATA_URI_V4 is not set", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r!.StartsWith("ECS_CONTAINER_METADATA_FILE is not set", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_v4_endpoint_fills_what_it_knows_when_the_file_is_absent()
    {
        await using var endpoint = await FakeMetadataEndpoint.StartAsync();
        var (snapshot, warnings) = await LoadAsync(Settings(file: Fixtures.Path("no-such-file.json"), endpoint: endpoint.Uri, waitSeconds: 0.2));
        Assert.Equal("arn:aws:ecs:us-east-1:012345678910:task/ecs-on-ec2-dev/2b88376daba349509ddfbcb0f388a40c", snapshot.TaskArn);
        Assert.Equal("ecs-on-ec2-dev", snapshot.Cluster);
        Assert.Equal("us-east-1b", snapshot.AvailabilityZone);
        Assert.Equal(49153, snapshot.HostPort);
        Assert.Equal("sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", snapshot.ImageDigest);
        Assert.Null(snapshot.HostPrivateIp);
        Assert.Contains("hostPrivateIp", Assert.Single(warnings));
    }

    [Fact]
    public async Task The_file_wins_field_by_field_and_the_endpoint_fills_the_gaps()
    {
        var path = Fixtures.TempCopy(null);
        await File.WriteAllTextAsync(path, """{"MetadataFileStatus": "READY", "HostPrivateIPv4Address": "10.0.0.9", "AvailabilityZone": "us-east-1a"}""");
        try
        {
            await using var endpoint = await FakeMetadataEndpoint.StartAsync();
            var (snapshot, _) = await LoadAsync(Settings(file: path, endpoint: endpoint.Uri));
            Assert.Equal("10.0.0.9", snapshot.HostPrivateIp);
            Assert.Equal("us-east-1a", snapshot.AvailabilityZone);
            Assert.Equal("ecs-on-ec2-dev", snapshot.Cluster);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(500, 0, null)]
    [InlineData(200, 3000, null)]
    [InlineData(200, 0, "<html>not json</html>")]
    public async Task A_broken_slow_or_garbage_endpoint_is_survived_and_reported(int status, int delayMs, string? body)
    {
        await using var endpoint = await FakeMetadataEndpoint.StartAsync(status, TimeSpan.FromMilliseconds(delayMs), body);
        await using var app = await RunningApp.StartAsync(Settings(endpoint: endpoint.Uri));
        using var health = await app.Client.GetAsync("/health");
        Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
        await app.Metadata.Loaded.WaitAsync(Patience);
        Assert.Equal(MetadataSnapshot.Unknown, app.Metadata.Current);
        var warning = Assert.Single(app.LogLines, line => line.Contains("\"level\":\"warning\"", StringComparison.Ordinal));
        Assert.Contains("task metadata endpoint", warning);
    }

    [Fact]
    public async Task Requests_answer_at_once_while_metadata_is_still_loading()
    {
        await using var endpoint = await FakeMetadataEndpoint.StartAsync(delay: TimeSpan.FromMilliseconds(400));
        await using var app = await RunningApp.StartAsync(Settings(endpoint: endpoint.Uri));
        using var document = JsonDocument.Parse(await app.Client.GetStringAsync("/"));
        Assert.False(app.Metadata.Loaded.IsCompleted);
        Assert.Equal("unknown", document.RootElement.GetProperty("taskArn").GetString());
        await app.Metadata.Loaded.WaitAsync(Patience);
        using var later = JsonDocument.Parse(await app.Client.GetStringAsync("/"));
        Assert.Equal("ecs-on-ec2-dev", later.RootElement.GetProperty("cluster").GetString());
    }
}
