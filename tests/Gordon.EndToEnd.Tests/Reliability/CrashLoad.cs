using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Gordon.EndToEnd.Tests.Support;

namespace Gordon.EndToEnd.Tests.Reliability;

/// <summary>
/// Sends numbered Burrow reports to a daemon that is stopped (by a signal) and restarted at seeded random moments,
/// and keeps the message id of every report answered 200.
/// </summary>
internal sealed class CrashLoad(TempConfigRoot root, PosixSignalNumber signal, int seed)
{
    private const int Senders = 4;

    private static readonly HttpClient Http = new(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(20) };

    private readonly Random _random = new(seed);

    /// <summary>The group of report N is this prefix and N, so a stored row names the body it came from.</summary>
    public const string GroupPrefix = "crash-";

    public ConcurrentDictionary<string, int> Accepted { get; } = new(StringComparer.Ordinal);

    public int Refused { get; private set; }

    public int Stops { get; private set; }

    public string LastOutput { get; private set; } = string.Empty;

    /// <summary>Spool files found right after each graceful stop (SIGTERM), one entry per file, prefixed by the stop's number.</summary>
    public List<string> SpoolFilesAfterGracefulStops { get; } = [];

    /// <summary>Posts <paramref name="count"/> reports, stopping the daemon after a random 5–25 % of them each life.</summary>
    public async Task RunAsync(int count, CancellationToken cancellationToken)
    {
        var next = 0;
        var refused = 0;
        while (next < count)
        {
            await using var daemon = DaemonProcess.Start($"run -c \"{root.Path}\"");
            var address = await daemon.WaitUntilListeningAsync(cancellationToken);
            var stopAfter = Math.Min(count, next + _random.Next(count / 20, count / 4));
            var lifeStart = next;
            var stopped = 0;

            async Task SendAsync()
            {
                while (true)
                {
                    var index = Interlocked.Increment(ref next) - 1;
                    if (index >= count || Volatile.Read(ref stopped) == 1)
                    {
                        return;
                    }

                    if (index >= stopAfter && Interlocked.Exchange(ref stopped, 1) == 0)
                    {
                        // The stop lands while the other senders still have requests in flight.
                        daemon.Signal(signal);
                        return;
                    }

                    if (!await PostAsync(address, index, cancellationToken))
                    {
                        Interlocked.Increment(ref refused);
                    }
                }
            }

            await Task.WhenAll(Enumerable.Range(0, Senders).Select(_ => Task.Run(SendAsync, cancellationToken)));
            if (Volatile.Read(ref stopped) == 1)
            {
                Stops++;
                var exitCode = await daemon.WaitForExitAsync(cancellationToken);
                if (signal == PosixSignalNumber.Term)
                {
                    Assert.That(exitCode, Is.Zero, "a graceful stop exits 0:\n" + daemon.Output);
                    var spool = Path.Combine(root.StateDirectory, "spool");
                    SpoolFilesAfterGracefulStops.AddRange((Directory.Exists(spool) ? Directory.GetFiles(spool) : []).Select(f => $"stop {Stops}: {f}"));
                }
            }
            else
            {
                daemon.Signal(PosixSignalNumber.Term);
                await daemon.WaitForExitAsync(cancellationToken);
            }

            LastOutput = daemon.Output;
            next = Math.Min(Volatile.Read(ref next), count);
            Assert.That(next, Is.GreaterThan(lifeStart), "each life of the daemon must take some reports");
        }

        Refused = refused;
    }

    public static string Body(int index)
    {
        var group = GroupPrefix + index.ToString(CultureInfo.InvariantCulture);
        return $$"""
            {"cluster":"prod-east","group":"{{group}}","status":"WARN","complete":1,
             "partitions":[{"topic":"orders","partition":0,"owner":"/10.0.0.1","client_id":"c-1","status":"WARN",
               "start":{"offset":10,"timestamp":1,"lag":0},"end":{"offset":20,"timestamp":3,"lag":{{index}}},"current_lag":{{index}},"complete":1}],
             "partition_count":1,"maxlag":null,"totallag":{{index}}}
            """;
    }

    private async Task<bool> PostAsync(Uri address, int index, CancellationToken cancellationToken)
    {
        try
        {
            using var content = new StringContent(Body(index), Encoding.UTF8, "application/json");
            using var response = await Http.PostAsync(new Uri(address, "/burrow"), content, cancellationToken);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return false;
            }

            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            Accepted[JsonDocument.Parse(text).RootElement.GetProperty("message_id").GetString()!] = index;
            return true;
        }
        catch (HttpRequestException)
        {
            // The daemon went away mid-request: not answered 200, so not promised.
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
