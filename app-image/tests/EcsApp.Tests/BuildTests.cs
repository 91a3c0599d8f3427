using System.Text.Json;
using System.Text.RegularExpressions;

namespace EcsApp.Tests;

/// <summary>The pins that make every build the same: the SDK in global.json, the image's SDK, the lock files.</summary>
public sealed partial class BuildTests
{
    private static string Dockerfile => File.ReadAllText(Path.Combine(Repository.AppImage, "Dockerfile"));

    private static string PinnedSdk()
    {
        using var globalJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Root, "global.json")));
        return globalJson.RootElement.GetProperty("sdk").GetProperty("version").GetString()!;
    }

    [Fact]
    public void The_image_builds_with_the_sdk_global_json_pins_and_no_other()
    {
        using var globalJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Root, "global.json")));
        // Any other SDK bundles another ILCompiler than the lock file holds, and a locked restore fails (NU1004).
        Assert.Equal("disable", globalJson.RootElement.GetProperty("sdk").GetProperty("rollForward").GetString());
        Assert.Equal(PinnedSdk(), SdkImageTag().Match(Dockerfile).Groups["version"].Value);
    }

    [Fact]
    public void Every_base_image_is_pinned_by_digest()
    {
        // A tag is rebuilt for OS fixes; only a digest names the exact bytes every build starts from.
        var images = FromLine().Matches(Dockerfile).Select(match => match.Groups["image"].Value).ToList();
        Assert.Equal(2, images.Count);
        Assert.All(images, image => Assert.Matches(PinnedImage(), image));
    }

    [Fact]
    public void The_image_restores_from_the_lock_file_in_locked_mode()
    {
        Assert.Contains("src/EcsApp/packages.lock.json", Dockerfile, StringComparison.Ordinal);
        Assert.Contains("--locked-mode", Dockerfile, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^FROM mcr\.microsoft\.com/dotnet/sdk:(?<version>[0-9.]+)-noble-aot@sha256:[0-9a-f]{64} AS build$", RegexOptions.Multiline)]
    private static partial Regex SdkImageTag();

    [GeneratedRegex(@"^FROM (?<image>\S+)", RegexOptions.Multiline)]
    private static partial Regex FromLine();

    [GeneratedRegex(@"^mcr\.microsoft\.com/dotnet/[a-z-]+:[0-9.]+-noble-[a-z-]+@sha256:[0-9a-f]{64}$")]
    private static partial Regex PinnedImage();
}
