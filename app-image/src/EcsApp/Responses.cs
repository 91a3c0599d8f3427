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

// Source-generated serialization: no reflection, so Native AOT and trimming keep working. Errors are
// ProblemDetails, which the framework serializes with its own source-generated context.
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(InfoResponse))]
internal sealed partial class AppJsonContext : JsonSerializerContext;
