using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using Gordon.Abstractions.Collectors;
using Gordon.Abstractions.Events;

namespace Gordon.Plugins.Collectors.Interval.Probes;

/// <summary><c>tcp</c>: connects to <c>params.host</c>:<c>params.port</c> and reports <c>up</c> and the connect <c>latency</c> in seconds.</summary>
internal sealed class TcpProbe : ICollectorProbe
{
    public string? ValidateParameters(JsonElement parameters) => ProbeParameters.Check(() =>
    {
        _ = ProbeParameters.RequireString(parameters, "host");
        if (!ProbeParameters.Has(parameters, "port"))
        {
            throw new ArgumentException("params.port is required (an integer from 1 to 65535)");
        }

        _ = ProbeParameters.Integer(parameters, "port", 0, 1, 65535);
        _ = ProbeParameters.Duration(parameters, "timeout", TimeSpan.FromSeconds(5));
    });

    public async Task<IReadOnlyList<ProbeSample>> RunAsync(ProbeInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var host = ProbeParameters.RequireString(invocation.Parameters, "host");
        var port = (int)ProbeParameters.Integer(invocation.Parameters, "port", 0, 1, 65535);
        var timeout = ProbeParameters.Duration(invocation.Parameters, "timeout", TimeSpan.FromSeconds(5));
        using var timer = new CancellationTokenSource(timeout, invocation.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        using var client = new TcpClient();
        var started = invocation.TimeProvider.GetTimestamp();
        try
        {
            await client.ConnectAsync(host, port, linked.Token).ConfigureAwait(false);
            var latency = invocation.TimeProvider.GetElapsedTime(started).TotalSeconds;
            return [new ProbeSample([Trait.Integer("up", 1), Trait.Float("latency", latency)])];
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return [Down(string.Create(CultureInfo.InvariantCulture, $"no connection within {timeout.TotalSeconds} s"))];
        }
        catch (SocketException e)
        {
            return [Down(e.Message)];
        }
    }

    private static ProbeSample Down(string error) => new([Trait.Integer("up", 0), Trait.String("error", error)]);
}
