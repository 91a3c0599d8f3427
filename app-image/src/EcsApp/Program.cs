using EcsApp;

AppSettings settings;
try
{
    settings = AppSettings.FromEnvironment(Environment.GetEnvironmentVariable);
}
catch (SettingsException error)
{
    Console.Error.WriteLine(error.Message);
    return 2;
}

// Kestrel listens where ASPNETCORE_HTTP_PORTS (8080 in the image) or --urls says; SIGTERM drains and exits 0.
await AppHost.Build(args, settings, Console.Out).RunAsync();
return 0;
