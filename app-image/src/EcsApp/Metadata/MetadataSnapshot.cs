namespace EcsApp.Metadata;

/// <summary>Where this task runs, as far as it is known; null is unknown.</summary>
public sealed record MetadataSnapshot(
    string? TaskArn = null,
    string? AvailabilityZone = null,
    string? Cluster = null,
    string? ContainerInstanceArn = null,
    string? HostPrivateIp = null,
    int? HostPort = null,
    string? ImageDigest = null)
{
    public static readonly MetadataSnapshot Unknown = new();

    /// <summary>Each field from this snapshot, or from <paramref name="fallback"/> where this one does not know it.</summary>
    public MetadataSnapshot Or(MetadataSnapshot fallback) => new(
        TaskArn ?? fallback.TaskArn,
        AvailabilityZone ?? fallback.AvailabilityZone,
        Cluster ?? fallback.Cluster,
        ContainerInstanceArn ?? fallback.ContainerInstanceArn,
        HostPrivateIp ?? fallback.HostPrivateIp,
        HostPort ?? fallback.HostPort,
        ImageDigest ?? fallback.ImageDigest);

    /// <summary>Names of the fields still unknown.</summary>
    public IReadOnlyList<string> MissingFields()
    {
        var missing = new List<string>();
        if (TaskArn is null) missing.Add("taskArn");
        if (AvailabilityZone is null) missing.Add("availabilityZone");
        if (Cluster is null) missing.Add("cluster");
        if (ContainerInstanceArn is null) missing.Add("containerInstanceArn");
        if (HostPrivateIp is null) missing.Add("hostPrivateIp");
        if (HostPort is null) missing.Add("hostPort");
        if (ImageDigest is null) missing.Add("imageDigest");
        return missing;
    }

    /// <summary>The digest of an image reference by digest (repo@sha256:…), else the local image ID (sha256:…).</summary>
    internal static string? DigestOf(string? imageName, string? imageId)
    {
        var at = imageName?.IndexOf('@', StringComparison.Ordinal) ?? -1;
        if (imageName is not null && at >= 0)
        {
            return imageName[(at + 1)..];
        }
        return string.IsNullOrEmpty(imageId) ? null : imageId;
    }
}
