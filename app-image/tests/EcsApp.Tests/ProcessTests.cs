using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace EcsApp.Tests;

/// <summary>The built app as its own process, as ECS runs it: started, stopped with SIGTERM, or refused at start.</summary>
public sealed class ProcessTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private sealed class AppProcess(Process process) : IDisposable
    {
        public Process Process { get; } = process;
        public string Stderr { get; private set; } = "";
        private readonly TaskCompletionSource<string> url = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public static AppProcess Start(params (string Name, string Value)[] environment)
        {
            var info = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "EcsApp.dll"));
            info.ArgumentList.Add("--urls");
            info.ArgumentList.Add("http://127.0.0.1:0");
            foreach (var (name, value) in environment)
            {
                info.Environment[name] = value;
            }
            var app = new AppProcess(Process.Start(info)!);
            app.Process.OutputDataReceived += (_, line) =>
            {
                if (line.Data is { } data && data.Contains("\"event\":\"started\"", StringComparison.Ordinal))
                {
                    app.url.TrySetResult(JsonDocument.Parse(data).RootElement.GetProperty("urls")[0].GetString()!);
                }
            };
            app.Process.ErrorDataReceived += (_, line) => app.Stderr += line.Data + "\n";
            app.Process.BeginOutputReadLine();
            app.Process.BeginErrorReadLine();
            return app;
        }

        public Task<string> Url => url.Task.WaitAsync(Patience);

        public void Terminate() => Process.Start("kill", ["-TERM", Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill();
            }
            Process.Dispose();
        }
    }

    [Fact]
    public async Task Sigterm_refuses_new_connections_finishes_in_flight_requests_and_exits_0()
    {
        using var app = AppProcess.Start(("SHUTDOWN_TIMEOUT_SECONDS", "5"));
        var url = await app.Url;
        using var inFlightClient = new HttpClient { Timeout = Patience };
        var inFlight = inFlightClient.GetAsync($"{url}/delay/1500");
        await Task.Delay(400);

        app.Terminate();
        await Task.Delay(300);
        using var lateClient = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Assert.ThrowsAsync<HttpRequestException>(() => lateClient.GetAsync($"{url}/health"));

        using var response = await inFlight;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await app.Process.WaitForExitAsync().WaitAsync(Patience);
        Assert.Equal(0, app.Process.ExitCode);
    }

    [Fact]
    public async Task A_bad_setting_stops_the_app_at_start_with_a_clear_message()
    {
        using var app = AppProcess.Start(("SHUTDOWN_TIMEOUT_SECONDS", "500"));
        await app.Process.WaitForExitAsync().WaitAsync(Patience);
        Assert.Equal(2, app.Process.ExitCode);
        Assert.Contains("Invalid SHUTDOWN_TIMEOUT_SECONDS=500: expected a whole number of seconds from 1 to 120.", app.Stderr);
    }
}
