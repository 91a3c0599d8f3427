using EcsApp;
using Microsoft.Extensions.Options;

// The container health check: probe the running app's health path and exit 0/1, without starting a server.
if (args.Contains(HealthCheckCommand.Flag))
{
    return await HealthCheckCommand.RunAsync(HealthCheckCommand.ConfigurationFrom(args), Console.Out);
}

// Listens on 8080 unless ASPNETCORE_URLS/--urls/ASPNETCORE_HTTP_PORTS move it. SIGTERM drains within
// SHUTDOWN_TIMEOUT_SECONDS, then exit 0; exit 1 if it cannot start or a background service fails.
try
{
    return await AppHost.RunAsync(AppHost.Build(AppHost.CreateBuilder(args)));
}
catch (OptionsValidationException invalid)
{
    // A bad setting: say which and what is allowed, and exit 2 (ECS shows the stopped task's exit code).
    foreach (var failure in invalid.Failures)
    {
        await Console.Error.WriteLineAsync(failure);
    }
    return 2;
}
