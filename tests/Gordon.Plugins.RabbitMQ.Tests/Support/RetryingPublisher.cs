using Gordon.Abstractions.Events;
using Gordon.Abstractions.Plugins;

namespace Gordon.Plugins.RabbitMQ.Tests.Support;

/// <summary>
/// Calls a publish handler the way the router's publish phase does: several workers, each message retried with a
/// short backoff until the handler succeeds (the router would dead-letter after max_attempts; these tests give it
/// as many attempts as the run needs, and count them).
/// </summary>
internal static class RetryingPublisher
{
    public static async Task<int> PublishAllAsync(IMessageHandler handler, IReadOnlyList<Event> events, int workers, CancellationToken cancellationToken)
    {
        var next = -1;
        var failures = 0;
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(
            async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < events.Count)
                {
                    var message = new TestEventMessage(events[i]);
                    while (true)
                    {
                        try
                        {
                            await handler.HandleAsync(message, cancellationToken);
                            break;
                        }
                        catch (Exception ex) when (ex is not OperationCanceledException)
                        {
                            Interlocked.Increment(ref failures);
                            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
                        }
                    }
                }
            },
            cancellationToken)));
        return failures;
    }
}
