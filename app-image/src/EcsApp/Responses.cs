using System.Text.Json;
using System.Text.Json.Serialization;

namespace EcsApp;

/// <summary>What <c>GET /</c> answers: which task, host and AZ served the request. Unknown fields are "unknown" (hostPort: null).</summary>
public sealed record InfoResponse(
    string TaskArn,
    string AvailabilityZone,
    string Cluster,
    string ContainerInstanceArn,
    string HostPrivateIp,
    int? HostPort,
    string ImageDigest,
    DateTimeOffset StartedAt,
    long RequestCount);

public sealed record ErrorResponse(string Error);

// Source-generated serialization: no reflection, so Native AOT and trimming keep working.
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(InfoResponse))]
[JsonSerializable(typeof(ErrorResponse))]
internal sealed partial class AppJsonContext : JsonSerializerContext;
