using System.Text;
using System.Text.Json;

namespace EcsApp;

/// <summary>One JSON object a line on stdout, which awslogs ships to CloudWatch as one event each.</summary>
public sealed class JsonLog(TextWriter output)
{
    public void Request(string method, string path, int status, double durationMs) => Write("info", "request", writer =>
    {
        writer.WriteString("method", method);
        writer.WriteString("path", path);
        writer.WriteNumber("status", status);
        writer.WriteNumber("durationMs", Math.Round(durationMs, 3));
    });

    public void Started(IEnumerable<string> urls) => Write("info", "started", writer =>
    {
        writer.WriteStartArray("urls");
        foreach (var url in urls)
        {
            writer.WriteStringValue(url);
        }
        writer.WriteEndArray();
    });

    public void Warning(string message, IEnumerable<string> fields, IEnumerable<string> reasons) => Write("warning", "metadata", writer =>
    {
        writer.WriteString("message", message);
        writer.WriteStartArray("unknownFields");
        foreach (var field in fields)
        {
            writer.WriteStringValue(field);
        }
        writer.WriteEndArray();
        writer.WriteStartArray("reasons");
        foreach (var reason in reasons)
        {
            writer.WriteStringValue(reason);
        }
        writer.WriteEndArray();
    });

    private void Write(string level, string eventName, Action<Utf8JsonWriter> fields)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("timestamp", DateTimeOffset.UtcNow);
            writer.WriteString("level", level);
            writer.WriteString("event", eventName);
            fields(writer);
            writer.WriteEndObject();
        }
        var line = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        lock (output)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }
}
