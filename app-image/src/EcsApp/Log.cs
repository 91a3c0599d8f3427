namespace EcsApp;

/// <summary>
/// The app's own log lines, source-generated (no boxing, no parsing of the template at run time). The JSON
/// console formatter writes each as one JSON object a line; the named values land in its "State".
/// </summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Listening on {Urls}; health path {HealthCheckPath}, drain bound {ShutdownTimeoutSeconds} s")]
    public static partial void Started(ILogger logger, string urls, string healthCheckPath, double shutdownTimeoutSeconds);

    [LoggerMessage(2, LogLevel.Information, "Stopping: closing the listener and draining {InFlight} in-flight request(s) for at most {ShutdownTimeoutSeconds} s")]
    public static partial void Draining(ILogger logger, int inFlight, double shutdownTimeoutSeconds);

    [LoggerMessage(3, LogLevel.Information, "Stopped after a drain of {DrainMilliseconds} ms: {Completed} request(s) completed during the drain, {Cut} cut at the bound")]
    public static partial void Stopped(ILogger logger, long drainMilliseconds, long completed, long cut);

    [LoggerMessage(4, LogLevel.Critical, "{Service} failed, so the app stopped; exiting 1 for ECS to replace the task")]
    public static partial void BackgroundServiceFailed(ILogger logger, string service, Exception exception);

    [LoggerMessage(5, LogLevel.Critical, "The app could not start ({Reason}); exiting 1")]
    public static partial void StartFailed(ILogger logger, string reason, Exception exception);

    [LoggerMessage(10, LogLevel.Warning, "Task metadata incomplete; these fields answer unknown: {UnknownFields}. Why: {Reasons}")]
    public static partial void MetadataIncomplete(ILogger logger, string unknownFields, string reasons);

    [LoggerMessage(11, LogLevel.Information, "Task metadata loaded: task {TaskArn}, AZ {AvailabilityZone}, host port {HostPort}")]
    public static partial void MetadataLoaded(ILogger logger, string? taskArn, string? availabilityZone, int? hostPort);
}
