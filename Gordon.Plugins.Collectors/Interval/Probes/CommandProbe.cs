using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Gordon.Abstractions.Collectors;
using Gordon.Abstractions.Events;

namespace Gordon.Plugins.Collectors.Interval.Probes;

/// <summary>
/// <c>command</c>: runs <c>params.command</c> with <c>params.args</c> (no shell), waits at most <c>params.timeout</c>
/// (then kills it and its children), and reads its standard output: a number gives the trait <c>value</c>, a flat
/// JSON object gives one trait per key (numbers, booleans as 1/0, strings). A non-zero exit is a failed run.
/// </summary>
internal sealed class CommandProbe : ICollectorProbe
{
    private const int MaxOutput = 1024 * 1024;

    public string? ValidateParameters(JsonElement parameters) => ProbeParameters.Check(() =>
    {
        _ = ProbeParameters.RequireString(parameters, "command");
        _ = ProbeParameters.Strings(parameters, "args");
        _ = ProbeParameters.Duration(parameters, "timeout", TimeSpan.FromSeconds(10));
    });

    public async Task<IReadOnlyList<ProbeSample>> RunAsync(ProbeInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var parameters = invocation.Parameters;
        var command = ProbeParameters.RequireString(parameters, "command");
        var timeout = ProbeParameters.Duration(parameters, "timeout", TimeSpan.FromSeconds(10));
        var start = new ProcessStartInfo(command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = ProbeParameters.String(parameters, "working_dir") ?? string.Empty,
        };
        foreach (var arg in ProbeParameters.Strings(parameters, "args"))
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"'{command}' could not be started");
        process.StandardInput.Close();
        using var timer = new CancellationTokenSource(timeout, invocation.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        var stdout = ReadAsync(process.StandardOutput, linked.Token);
        var stderr = ReadAsync(process.StandardError, linked.Token);
        var started = invocation.TimeProvider.GetTimestamp();
        try
        {
            await process.WaitForExitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            if (timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"'{command}' did not finish within {timeout.TotalSeconds} s and was killed"));
            }

            throw;
        }

        var output = await stdout.ConfigureAwait(false);
        var errors = await stderr.ConfigureAwait(false);
        var duration = invocation.TimeProvider.GetElapsedTime(started).TotalSeconds;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"'{command}' exited with code {process.ExitCode}: {Excerpt(errors)}"));
        }

        var values = Parse(output.Trim());
        values.Add(Trait.Float("duration", duration));
        return [new ProbeSample(values)];
    }

    internal static List<Trait> Parse(string output)
    {
        if (long.TryParse(output, NumberStyles.Integer, CultureInfo.InvariantCulture, out var integer))
        {
            return [Trait.Integer("value", integer)];
        }

        if (double.TryParse(output, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
        {
            return [Trait.Float("value", number)];
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(output);
        }
        catch (JsonException)
        {
            throw new FormatException($"the output is neither a number nor a JSON object: {Excerpt(output)}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"the output is neither a number nor a JSON object: {Excerpt(output)}");
            }

            var traits = new List<Trait>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name.Length == 0)
                {
                    throw new FormatException("the output's JSON object has an empty key");
                }

                var trait = property.Value.ValueKind switch
                {
                    JsonValueKind.Number when property.Value.TryGetInt64(out var l) => Trait.Integer(property.Name, l),
                    JsonValueKind.Number => Trait.Float(property.Name, property.Value.GetDouble()),
                    JsonValueKind.True => Trait.Integer(property.Name, 1),
                    JsonValueKind.False => Trait.Integer(property.Name, 0),
                    JsonValueKind.String => Trait.String(property.Name, property.Value.GetString()!),
                    JsonValueKind.Null => (Trait?)null,
                    _ => throw new FormatException($"the output's JSON object must be flat: '{property.Name}' holds an {property.Value.ValueKind.ToString().ToLowerInvariant()}"),
                };
                if (trait is { } t)
                {
                    traits.Add(t);
                }
            }

            return traits;
        }
    }

    private static async Task<string> ReadAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        var buffer = new char[8192];
        var text = new System.Text.StringBuilder();
        int read;
        while ((read = await reader.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            // Keep reading past the limit so the process never blocks on a full pipe, but keep only the start.
            if (text.Length < MaxOutput)
            {
                text.Append(buffer, 0, Math.Min(read, MaxOutput - text.Length));
            }
        }

        return text.ToString();
    }

    private static string Excerpt(string text)
    {
        var line = text.Trim().ReplaceLineEndings(" ");
        return line.Length <= 200 ? line : line[..200] + "…";
    }
}
