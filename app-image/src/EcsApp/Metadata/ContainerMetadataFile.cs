using System.Text.Json;

namespace EcsApp.Metadata;

/// <summary>
/// The ECS container metadata file the agent writes into the container when the host sets
/// ECS_ENABLE_CONTAINER_METADATA=true. It is the source of the AZ, container instance, host IP and
/// mapped host port on EC2; the agent completes it after the container starts (MetadataFileStatus READY).
/// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/container-metadata.html
/// </summary>
public static class ContainerMetadataFile
{
    /// <summary>Whether the agent has finished writing the file, and what it holds so far.</summary>
    public sealed record Reading(bool Ready, MetadataSnapshot Snapshot);

    /// <summary>Reads the file; throws <see cref="JsonException"/> or <see cref="IOException"/> when it is unreadable.</summary>
    public static async Task<Reading> ReadAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("the metadata file is not a JSON object");
        }
        var snapshot = new MetadataSnapshot(
            TaskArn: Json.String(root, "TaskARN"),
            AvailabilityZone: Json.String(root, "AvailabilityZone"),
            Cluster: Json.String(root, "Cluster"),
            ContainerInstanceArn: Json.String(root, "ContainerInstanceARN"),
            HostPrivateIp: Json.String(root, "HostPrivateIPv4Address"),
            HostPort: Json.HostPort(root, "PortMappings", "BindIp"),
            ImageDigest: MetadataSnapshot.DigestOf(Json.String(root, "ImageName"), Json.String(root, "ImageID")));
        return new Reading(Json.String(root, "MetadataFileStatus") == "READY", snapshot);
    }
}

/// <summary>Lenient readers for the agent's JSON: a missing or mistyped field is unknown, never an error.</summary>
internal static class Json
{
    public static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : null;

    /// <summary>
    /// The host port of the TCP mapping in the array <paramref name="name"/>, preferring an IPv4 binding:
    /// Docker may map the container port twice, to different host ports for 0.0.0.0 and ::, and the ALB
    /// registers the IPv4 one. <paramref name="hostIpName"/> is the field naming the binding's address.
    /// </summary>
    public static int? HostPort(JsonElement element, string name, string hostIpName)
    {
        if (!element.TryGetProperty(name, out var mappings) || mappings.ValueKind != JsonValueKind.Array)
        {
            return null;
        }
        int? ipv6Port = null;
        foreach (var mapping in mappings.EnumerateArray())
        {
            if (mapping.ValueKind == JsonValueKind.Object
                && (String(mapping, "Protocol") ?? "tcp") == "tcp"
                && mapping.TryGetProperty("HostPort", out var port)
                && port.ValueKind == JsonValueKind.Number && port.TryGetInt32(out var hostPort) && hostPort > 0)
            {
                if (String(mapping, hostIpName)?.Contains(':', StringComparison.Ordinal) != true)
                {
                    return hostPort;
                }
                ipv6Port ??= hostPort;
            }
        }
        return ipv6Port;
    }
}
