using System.Text.Json;

namespace EcsApp.Metadata;

/// <summary>
/// The task metadata endpoint v4 (ECS_CONTAINER_METADATA_URI_V4): the container's own document at the
/// URI and the task's at URI/task. It knows the task ARN, cluster and image on EC2, and documents the
/// AZ for Fargate only. https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-metadata-endpoint-v4.html
/// </summary>
public static class TaskMetadataEndpoint
{
    public static async Task<MetadataSnapshot> ReadAsync(HttpClient http, Uri endpoint, CancellationToken cancellationToken)
    {
        var baseUri = endpoint.AbsoluteUri.TrimEnd('/');
        using var container = await GetAsync(http, baseUri, cancellationToken);
        using var task = await GetAsync(http, baseUri + "/task", cancellationToken);
        var containerRoot = container.RootElement;
        var taskRoot = task.RootElement;
        return new MetadataSnapshot(
            TaskArn: Json.String(taskRoot, "TaskARN"),
            AvailabilityZone: Json.String(taskRoot, "AvailabilityZone"),
            Cluster: Json.String(taskRoot, "Cluster"),
            HostPort: Json.HostPort(containerRoot, "Ports", "HostIp"),
            ImageDigest: MetadataSnapshot.DigestOf(Json.String(containerRoot, "Image"), Json.String(containerRoot, "ImageID")));
    }

    private static async Task<JsonDocument> GetAsync(HttpClient http, string uri, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(uri, cancellationToken);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw new JsonException($"{uri} did not answer a JSON object");
        }
        return document;
    }
}
