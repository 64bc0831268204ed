using System.Globalization;

namespace Gordon.Plugins.Prometheus.Tests.Support;

/// <summary>A real Pushgateway (Debian's <c>/usr/bin/prometheus-pushgateway</c>) on a loopback port; stopped on dispose.</summary>
internal sealed class Pushgateway : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly HttpClient _client = new() { Timeout = TimeSpan.FromSeconds(5) };

    private Pushgateway(ChildProcess process) => _process = process;

    public Uri Address => _process.Address;

    public string Output => _process.Output;

    public static async Task<Pushgateway> StartAsync(CancellationToken cancellationToken)
    {
        var process = await ChildProcess.StartAsync(
            RequiredBinary.Pushgateway,
            (directory, port) =>
            [
                "--web.listen-address=127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture),
                "--log.level=warn",
            ],
            cancellationToken);
        return new Pushgateway(process);
    }

    /// <summary>What the gateway exposes to Prometheus: its own metrics plus every pushed group's.</summary>
    public async Task<string> MetricsAsync(CancellationToken cancellationToken) =>
        await _client.GetStringAsync(new Uri(Address, "metrics"), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _process.DisposeAsync();
    }
}
