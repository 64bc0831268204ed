using Gordon.Plugins.RabbitMQ.Consuming;

namespace Gordon.Plugins.RabbitMQ.Tests.Support;

/// <summary>
/// A consumer plugin's RunAsync on its own task, as the daemon's supervisor runs it; started once the queue exists
/// (the consumer declares it), and cancelled and stopped when disposed.
/// </summary>
internal sealed class RunningConsumer : IAsyncDisposable
{
    private readonly RabbitMqConsumePlugin _plugin;
    private readonly CancellationTokenSource _stop = new();
    private readonly string _queue;
    private Task _run = Task.CompletedTask;
    private bool _stopped;

    private RunningConsumer(RabbitMqConsumePlugin plugin, string queue)
    {
        _plugin = plugin;
        _queue = queue;
    }

    public Task Run => _run;

    public static async Task<RunningConsumer> StartAsync(RabbitMqConsumePlugin plugin, string url, string queue)
    {
        var running = new RunningConsumer(plugin, queue);
        running._run = Task.Run(() => plugin.RunAsync(running._stop.Token));
        await Eventually.UntilAsync(
            async () =>
            {
                // A fresh probe each time: a passive declare of a queue not declared yet closes the probe's channel.
                await using var probe = await BrokerProbe.ConnectAsync(url);
                try
                {
                    return (await probe.Channel.QueueDeclarePassiveAsync(queue)).ConsumerCount == 1;
                }
                catch (global::RabbitMQ.Client.Exceptions.OperationInterruptedException)
                {
                    return false;
                }
            },
            $"the consumer is consuming from {queue}");
        return running;
    }

    /// <summary>Ready and unacknowledged message counts of the queue, as rabbitmqctl reports them.</summary>
    public async Task<(int Ready, int Unacked)> CountsAsync(RabbitMqBroker broker, string virtualHost)
    {
        var listing = await broker.CtlAsync(["list_queues", "-p", virtualHost, "--no-table-headers", "name", "messages_ready", "messages_unacknowledged"]);
        var columns = listing.Split('\n').Single(l => l.StartsWith(_queue + "\t", StringComparison.Ordinal)).Split('\t');
        return (int.Parse(columns[1], System.Globalization.CultureInfo.InvariantCulture), int.Parse(columns[2], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Cancels RunAsync (the daemon stopping its runnables) and waits for it to return.</summary>
    public async Task CancelAsync()
    {
        await _stop.CancelAsync();
        await _run;
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await CancelAsync();
        await _plugin.StopAsync(CancellationToken.None);
        _stop.Dispose();
    }
}
