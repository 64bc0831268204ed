using System.Net;
using System.Net.Sockets;
using Gordon.Plugins.Collectors.Grafolean;
using Gordon.Plugins.Collectors.Interval;
using Gordon.Plugins.Collectors.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Gordon.Plugins.Collectors.Tests.Grafolean;

/// <summary>An interval job's events, handed to the grafolean handler, arrive as the values the job's params name.</summary>
public sealed class IntervalToGrafoleanTests
{
    [Test]
    public async Task TcpJob_EventsBecomeValuesUnderItsPathPrefixAndAccount()
    {
        using var directory = new TempDirectory();
        var time = new FakeTimeProvider(new DateTimeOffset(2024, 3, 10, 12, 0, 0, TimeSpan.Zero));
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        await using var backend = await TestHttpServer.StartAsync((_, _) => Task.CompletedTask);
        var sink = new RecordingSink();
        var interval = new IntervalPlugin(
            PluginContexts.Create("collectors.interval", TestConfig.Section("collectors.interval", new Dictionary<string, object?>
            {
                ["jobs"] = new object[]
                {
                    new Dictionary<string, object?>
                    {
                        ["id"] = "db",
                        ["probe"] = "tcp",
                        ["intervals"] = new object[] { "1m" },
                        ["params"] = new Dictionary<string, object?> { ["host"] = "127.0.0.1", ["port"] = port, ["account"] = 12, ["path_prefix"] = "entity.4.tcp" },
                    },
                },
            }), time, directory.Path, sink: sink),
            () => [],
            null);
        await using (interval)
        {
            using var grafolean = new GrafoleanPlugin(PluginContexts.Create("grafolean", TestConfig.Section("grafolean", new Dictionary<string, object?>
            {
                ["url"] = new Uri(backend.BaseAddress, "/api").ToString(),
                ["token"] = "t0k",
            }), time, directory.Path));
            using var stop = new CancellationTokenSource();
            var running = interval.RunAsync(stop.Token);
            await WaitUntilAsync(() => interval.Scheduler.Jobs.ContainsKey("db"));

            time.Advance(TimeSpan.FromMinutes(1));
            await WaitUntilAsync(() => !sink.Events.IsEmpty);
            await grafolean.HandleAsync(new TestMessage(sink.Events.Single()), CancellationToken.None);
            await stop.CancelAsync();
            await running.WaitAsync(TimeSpan.FromSeconds(10));
        }

        var request = backend.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(request.Path + request.Query, Is.EqualTo("/api/accounts/12/values/?b=t0k"));
            Assert.That(request.BodyText, Does.StartWith("""[{"p":"entity.4.tcp.up","v":1},{"p":"entity.4.tcp.latency","v":"""));
        });
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(5, timeout.Token);
        }
    }
}
