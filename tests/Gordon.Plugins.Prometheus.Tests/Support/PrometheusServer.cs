using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Gordon.Plugins.Prometheus.Tests.Support;

/// <summary>
/// A real Prometheus server (Debian's <c>/usr/bin/prometheus</c>) scraping one target every second, with its own
/// config and TSDB in a temporary directory; stopped and deleted on dispose.
/// </summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly HttpClient _client = new() { Timeout = TimeSpan.FromSeconds(5) };

    private PrometheusServer(ChildProcess process) => _process = process;

    public Uri Address => _process.Address;

    public string Output => _process.Output;

    /// <summary>Starts Prometheus scraping <paramref name="target"/> (host:port) at <paramref name="metricsPath"/>.</summary>
    public static async Task<PrometheusServer> StartAsync(string target, string metricsPath, CancellationToken cancellationToken)
    {
        var process = await ChildProcess.StartAsync(
            RequiredBinary.Prometheus,
            (directory, port) =>
            {
                var config = Path.Combine(directory, "prometheus.yml");
                File.WriteAllText(config, $"""
                    global:
                      scrape_interval: 1s
                      scrape_timeout: 1s
                    scrape_configs:
                      - job_name: gordon
                        metrics_path: {metricsPath}
                        static_configs:
                          - targets: ['{target}']
                    """);
                return
                [
                    "--config.file=" + config,
                    "--storage.tsdb.path=" + Path.Combine(directory, "data"),
                    "--web.listen-address=127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture),
                    "--log.level=warn",
                ];
            },
            cancellationToken);
        return new PrometheusServer(process);
    }

    /// <summary>Runs an instant query until it returns at least one series, or fails after <paramref name="timeout"/>.</summary>
    public async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> QueryUntilFoundAsync(
        string promql, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var result = await QueryAsync(promql, cancellationToken);
            if (result.Count > 0)
            {
                return result;
            }

            if (waited.Elapsed > timeout)
            {
                var targets = await _client.GetStringAsync(new Uri(Address, "api/v1/targets"), cancellationToken);
                Assert.Fail($"'{promql}' returned nothing after {timeout}. Targets: {targets}\nPrometheus output:\n{Output}");
            }

            await Task.Delay(250, cancellationToken);
        }
    }

    /// <summary>An instant query through the HTTP API.</summary>
    public async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> QueryAsync(string promql, CancellationToken cancellationToken)
    {
        var url = new Uri(Address, "api/v1/query?query=" + Uri.EscapeDataString(promql));
        using var document = JsonDocument.Parse(await _client.GetStringAsync(url, cancellationToken));
        var root = document.RootElement;
        Assert.That(root.GetProperty("status").GetString(), Is.EqualTo("success"), root.ToString());
        var series = new List<(IReadOnlyDictionary<string, string>, double)>();
        foreach (var item in root.GetProperty("data").GetProperty("result").EnumerateArray())
        {
            var labels = item.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
            var value = double.Parse(item.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
            series.Add((labels, value));
        }

        return series;
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _process.DisposeAsync();
    }
}
