using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace EcsApp.Tests;

/// <summary>
/// The Native AOT binary the image ships, published once per test run (as the Dockerfile's build stage does:
/// Release, linux-x64) into the test output. A first publish takes about 25 s on 2 cores; later ones are
/// incremental (a few seconds) while the source is unchanged.
/// </summary>
public sealed class AotBinary : IAsyncLifetime
{
    public string Path { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var output = System.IO.Path.Combine(AppContext.BaseDirectory, "aot");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // The repository root, so that global.json picks the SDK, as for any build.
            WorkingDirectory = Repository.Root,
        };
        // RunAnalyzers=false: analyzers do not change what the compiler emits (source generators still run), and this
        // run's Debug build of the same sources already ran them, with warnings as errors; the image build runs them too.
        foreach (var argument in new[] { "publish", Repository.AppProject, "--configuration", "Release", "--runtime", "linux-x64",
            "--output", output, "-nodeReuse:false", "-p:UseSharedCompilation=false", "-p:RunAnalyzers=false" })
        {
            info.ArgumentList.Add(argument);
        }
        // Not the test host's MSBuild settings: this is a build of its own.
        foreach (var name in info.Environment.Keys.Where(name => name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(name);
        }
        using var publish = Process.Start(info)!;
        var stdout = publish.StandardOutput.ReadToEndAsync();
        var stderr = publish.StandardError.ReadToEndAsync();
        await publish.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        if (publish.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish (Native AOT) failed with {publish.ExitCode}:\n{await stdout}\n{await stderr}");
        }
        Path = System.IO.Path.Combine(output, "EcsApp");
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

[CollectionDefinition(Name)]
public sealed class AotBinaryDefinition : ICollectionFixture<AotBinary>
{
    public const string Name = "Native AOT binary";
}

/// <summary>The published binary as its own process, as ECS runs it: started, probed, stopped with SIGTERM, or refused at start.</summary>
[Collection(AotBinaryDefinition.Name)]
public sealed class AotProcessTests(AotBinary binary)
{
    /// <summary>The binary running, its stdout log lines parsed as they come.</summary>
    private sealed class AppProcess : IDisposable
    {
        private readonly TaskCompletionSource<Uri> url = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<JsonElement> log = [];
        private readonly StringBuilder stderr = new();
        private readonly StringBuilder stdout = new();
        private bool jsonLog;

        private AppProcess(Process process) => Process = process;

        public Process Process { get; }

        public string Stderr
        {
            get
            {
                lock (stderr)
                {
                    return stderr.ToString();
                }
            }
        }

        /// <summary>Standard output as text, for the health check (the server's is in <see cref="Log"/>).</summary>
        public string Stdout
        {
            get
            {
                lock (stdout)
                {
                    return stdout.ToString();
                }
            }
        }

        public IReadOnlyList<JsonElement> Log
        {
            get
            {
                lock (log)
                {
                    return log.ToList();
                }
            }
        }

        public static AppProcess Start(string binary, string[]? args = null, params (string Name, string Value)[] environment)
        {
            var info = new ProcessStartInfo(binary)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in args ?? ["--urls", "http://127.0.0.1:0"])
            {
                info.ArgumentList.Add(arg);
            }
            info.Environment["DOTNET_EnableDiagnostics"] = "0";
            foreach (var (name, value) in environment)
            {
                info.Environment[name] = value;
            }
            var app = new AppProcess(Process.Start(info)!) { jsonLog = !info.ArgumentList.Contains("--health-check") };
            app.Process.OutputDataReceived += (_, line) => app.Received(line.Data);
            app.Process.ErrorDataReceived += (_, line) =>
            {
                lock (app.stderr)
                {
                    app.stderr.AppendLine(line.Data);
                }
            };
            app.Process.BeginOutputReadLine();
            app.Process.BeginErrorReadLine();
            return app;
        }

        private void Received(string? line)
        {
            if (string.IsNullOrEmpty(line))
            {
                return;
            }
            if (!jsonLog)
            {
                lock (stdout)
                {
                    stdout.AppendLine(line);
                }
                return;
            }
            // Every stdout line must be one JSON object; anything else is kept as a line that fails the test.
            JsonElement entry;
            try
            {
                entry = JsonDocument.Parse(line).RootElement.Clone();
            }
            catch (JsonException)
            {
                entry = JsonDocument.Parse(JsonSerializer.Serialize(new Dictionary<string, string> { ["NotJson"] = line })).RootElement.Clone();
            }
            lock (log)
            {
                log.Add(entry);
            }
            if (entry.TryGetProperty("Category", out var category) && category.GetString() == "EcsApp" && entry.GetProperty("EventId").GetInt32() == 1)
            {
                url.TrySetResult(new Uri(entry.GetProperty("State").GetProperty("Urls").GetString()!.Split(' ')[0]));
            }
        }

        public Task<Uri> Url => url.Task.WaitAsync(Patience.Timeout);

        public void Terminate() => Process.Start("kill", ["-TERM", Process.Id.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();

        public async Task<int> ExitCodeAsync()
        {
            await Process.WaitForExitAsync().WaitAsync(Patience.Timeout);
            // WaitForExitAsync also waits for the redirected streams to end, so the log is complete here.
            return Process.ExitCode;
        }

        public IEnumerable<JsonElement> Events(int eventId) =>
            Log.Where(entry => entry.TryGetProperty("EventId", out var id) && id.GetInt32() == eventId);

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
    public async Task The_binary_serves_logs_json_passes_its_own_health_check_and_drains_on_SIGTERM()
    {
        using var app = AppProcess.Start(binary.Path, environment: ("SHUTDOWN_TIMEOUT_SECONDS", "10"));
        var url = await app.Url;
        using var client = new HttpClient { Timeout = Patience.Timeout };
        using (var root = JsonDocument.Parse(await client.GetStringAsync(new Uri(url, "/"))))
        {
            Assert.Equal("unknown", root.RootElement.GetProperty("taskArn").GetString());
        }
        Assert.Equal("ok", await client.GetStringAsync(new Uri(url, "/health")));

        // The container health check: the same binary, as ECS runs it in the container.
        using (var check = AppProcess.Start(binary.Path, ["--health-check"], ("ASPNETCORE_URLS", url.AbsoluteUri)))
        {
            Assert.Equal(0, await check.ExitCodeAsync());
            Assert.StartsWith("healthy: GET http://127.0.0.1:", check.Stdout, StringComparison.Ordinal);
        }

        var inFlight = await StartInFlightAsync(client, url, "/delay/3000");
        app.Terminate();
        await WaitUntilRefusedAsync(url);
        Assert.False(inFlight.IsCompleted, "the in-flight request should still be running when new connections are refused");

        using var response = await inFlight;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, await app.ExitCodeAsync());

        var requests = app.Events(9).Select(entry => entry.GetProperty("State")).ToList();
        var lines = requests.Select(state => $"{state.GetProperty("Method").GetString()} {state.GetProperty("Path").GetString()} {state.GetProperty("StatusCode").GetInt32()}").ToList();
        Assert.Contains("GET /delay/3000 200", lines);
        Assert.DoesNotContain(lines, line => line.Contains("/health", StringComparison.Ordinal));
        var stopped = Assert.Single(app.Events(3)).GetProperty("State");
        Assert.Equal(1, stopped.GetProperty("Completed").GetInt64());
        Assert.Equal(0, stopped.GetProperty("Cut").GetInt64());
        Assert.InRange(stopped.GetProperty("DrainMilliseconds").GetInt64(), 1, 10_000);
        Assert.All(app.Log, entry => Assert.False(entry.TryGetProperty("NotJson", out _), $"not a JSON line: {entry}"));
        Assert.All(app.Log, entry => Assert.True(DateTimeOffset.TryParse(entry.GetProperty("Timestamp").GetString(), CultureInfo.InvariantCulture, out _)));
        Assert.Equal("", app.Stderr.Trim());
    }

    /// <summary>
    /// Sends a slow request and returns once the app is surely serving it: requestCount counts a request when
    /// it starts, so it grows by one more than the polls of / themselves.
    /// </summary>
    private static async Task<Task<HttpResponseMessage>> StartInFlightAsync(HttpClient client, Uri url, string path)
    {
        async Task<long> CountAsync()
        {
            using var root = JsonDocument.Parse(await client.GetStringAsync(new Uri(url, "/")));
            return root.RootElement.GetProperty("requestCount").GetInt64();
        }
        var before = await CountAsync();
        var inFlight = client.GetAsync(new Uri(url, path));
        for (var polls = 1; await CountAsync() - before - polls < 1; polls++)
        {
            Assert.False(inFlight.IsCompleted, "the slow request ended early");
        }
        return inFlight;
    }

    [Fact]
    public async Task The_drain_is_bounded_by_SHUTDOWN_TIMEOUT_SECONDS_and_still_exits_0()
    {
        using var app = AppProcess.Start(binary.Path, environment: ("SHUTDOWN_TIMEOUT_SECONDS", "1"));
        var url = await app.Url;
        using var client = new HttpClient { Timeout = Patience.Timeout };
        var tooSlow = await StartInFlightAsync(client, url, "/delay/10000");

        var watch = Stopwatch.StartNew();
        app.Terminate();
        Assert.Equal(0, await app.ExitCodeAsync());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(4), $"exited {watch.Elapsed.TotalSeconds:0.0} s after SIGTERM");
        await Assert.ThrowsAsync<HttpRequestException>(() => tooSlow);
        var stopped = Assert.Single(app.Events(3)).GetProperty("State");
        Assert.Equal(1, stopped.GetProperty("Cut").GetInt64());
    }

    [Fact]
    public async Task A_bad_setting_stops_the_app_at_start_with_exit_code_2_and_a_clear_message()
    {
        using var app = AppProcess.Start(binary.Path, environment: [("SHUTDOWN_TIMEOUT_SECONDS", "500"), ("HEALTH_CHECK_PATH", "/{*rest}")]);
        Assert.Equal(2, await app.ExitCodeAsync());
        Assert.Contains("Invalid SHUTDOWN_TIMEOUT_SECONDS=500: expected a whole number of seconds from 1 to 120.", app.Stderr, StringComparison.Ordinal);
        Assert.Contains("Invalid HEALTH_CHECK_PATH=/{*rest}: expected", app.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_health_check_of_an_app_that_is_not_there_exits_1()
    {
        using var check = AppProcess.Start(binary.Path, ["--health-check"], ("ASPNETCORE_HTTP_PORTS", "1"));
        Assert.Equal(1, await check.ExitCodeAsync());
    }

    /// <summary>Waits until a plain TCP connect is refused: the listener is closed.</summary>
    private static async Task WaitUntilRefusedAsync(Uri url)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(url.Host, url.Port);
            }
            catch (SocketException error) when (error.SocketErrorCode == SocketError.ConnectionRefused)
            {
                return;
            }
            catch (SocketException error) when (error.SocketErrorCode == SocketError.ConnectionReset)
            {
                // A connect that lands in the backlog while the listener closes is reset, not refused: the
                // listener is going; the next attempt is refused.
            }
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(2), "new connections were still accepted 2 s after SIGTERM");
            await Task.Delay(20);
        }
    }
}
