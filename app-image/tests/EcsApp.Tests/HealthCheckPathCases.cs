using System.Text.Json;

namespace EcsApp.Tests;

/// <summary>
/// The app's health-check path rule against Fixtures/health-check-paths.json, the table the stack's config
/// check (tests/config.test.ts) is held to as well: the stack refuses exactly the paths the app would.
/// </summary>
public sealed class HealthCheckPathCases
{
    private sealed record Table(string[] Accepted, string[] Refused);

    private static readonly JsonSerializerOptions CamelCase = new(JsonSerializerDefaults.Web);

    private static readonly Table Cases = JsonSerializer.Deserialize<Table>(Fixtures.Read("health-check-paths.json"), CamelCase)!;

    public static TheoryData<string> Accepted() => new(Cases.Accepted);

    public static TheoryData<string> Refused() => new(Cases.Refused);

    [Theory]
    [MemberData(nameof(Accepted))]
    public void The_app_accepts(string path) => Assert.True(AppOptionsValidator.IsHealthCheckPath(path), path);

    [Theory]
    [MemberData(nameof(Refused))]
    public void The_app_refuses(string path) => Assert.False(AppOptionsValidator.IsHealthCheckPath(path), path);
}
