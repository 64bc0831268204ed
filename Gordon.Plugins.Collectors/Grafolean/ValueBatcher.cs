using System.Collections.Concurrent;
using Gordon.Abstractions.Messaging;

namespace Gordon.Plugins.Collectors.Grafolean;

/// <summary>
/// Batches values per account by group commit: while one POST for an account is in flight, the values of the
/// messages arriving meanwhile wait and go together in the next POST (up to the batch limit). Each caller returns
/// when the POST holding its values succeeded, or throws its failure, so the router retries or dead-letters exactly
/// the messages whose values were not accepted. A batch refused as a whole for a bad value is resent message by
/// message, so one bad message cannot fail the others.
/// </summary>
internal sealed class ValueBatcher(Func<string, IReadOnlyList<GrafoleanValue>, CancellationToken, Task> post, int maxBatch, CancellationToken stopping)
{
    private readonly ConcurrentDictionary<string, AccountQueue> _queues = new(StringComparer.Ordinal);

    public async Task SendAsync(string account, IReadOnlyList<GrafoleanValue> values, CancellationToken cancellationToken)
    {
        var pending = new Pending(values);
        var queue = _queues.GetOrAdd(account, _ => new AccountQueue());
        bool start;
        lock (queue.Gate)
        {
            queue.Items.Add(pending);
            start = !queue.Sending;
            queue.Sending = true;
        }

        if (start)
        {
            _ = Task.Run(() => DrainAsync(account, queue), CancellationToken.None);
        }

        await pending.Done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task DrainAsync(string account, AccountQueue queue)
    {
        while (true)
        {
            var batch = new List<Pending>();
            lock (queue.Gate)
            {
                var count = 0;
                while (queue.Items.Count > 0 && (batch.Count == 0 || count + queue.Items[0].Values.Count <= maxBatch))
                {
                    count += queue.Items[0].Values.Count;
                    batch.Add(queue.Items[0]);
                    queue.Items.RemoveAt(0);
                }

                if (batch.Count == 0)
                {
                    queue.Sending = false;
                    return;
                }
            }

            try
            {
                await post(account, [.. batch.SelectMany(p => p.Values)], stopping).ConfigureAwait(false);
                batch.ForEach(p => p.Done.TrySetResult());
            }
            catch (PermanentFailureException) when (batch.Count > 1)
            {
                await SendOneByOneAsync(account, batch).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                batch.ForEach(p => p.Done.TrySetException(e));
            }
        }
    }

    private async Task SendOneByOneAsync(string account, List<Pending> batch)
    {
        foreach (var pending in batch)
        {
            try
            {
                await post(account, pending.Values, stopping).ConfigureAwait(false);
                pending.Done.TrySetResult();
            }
            catch (Exception e)
            {
                pending.Done.TrySetException(e);
            }
        }
    }

    private sealed class AccountQueue
    {
        public Lock Gate { get; } = new();

        public List<Pending> Items { get; } = [];

        public bool Sending { get; set; }
    }

    private sealed class Pending(IReadOnlyList<GrafoleanValue> values)
    {
        public IReadOnlyList<GrafoleanValue> Values { get; } = values;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
