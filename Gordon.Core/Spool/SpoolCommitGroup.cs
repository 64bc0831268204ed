namespace Gordon.Core.Spool;

/// <summary>
/// The messages appended while the previous write was under way: they go to the file in one write, and their appends
/// all wait on this one completion instead of one each.
/// </summary>
internal sealed class SpoolCommitGroup
{
    // Continuations run where the group is completed (see Complete), not each on its own thread-pool hop: a profile
    // of the webhook showed a quarter of the CPU in the kernel's context switches with one hop per message.
    private readonly TaskCompletionSource _written = new();
    private volatile bool _done;

    public List<(long Sequence, int Size)> Messages { get; } = [];

    /// <summary>Completes when the group reached the file (and the disk, with <c>fsync = "always"</c>); faults when it cannot.</summary>
    public Task Written => _written.Task;

    /// <summary>The write finished without an error (known before <see cref="Written"/> completes, when that is deferred).</summary>
    public bool Succeeded => _done && Failure is null;

    public Exception? Failure { get; private set; }

    /// <summary>
    /// Records the outcome and completes <see cref="Written"/>: on this thread when <paramref name="inline"/> (a
    /// background flusher, which holds the flusher role meanwhile, so the waiting requests cannot recurse into it),
    /// else in one thread-pool work item for the whole group (an append's caller must get back to its own request).
    /// </summary>
    public void Complete(Exception? failure, bool inline)
    {
        Failure = failure;
        _done = true;
        if (inline)
        {
            SetWritten();
        }
        else
        {
            ThreadPool.UnsafeQueueUserWorkItem(static group => group.SetWritten(), this, preferLocal: false);
        }
    }

    private void SetWritten()
    {
        if (Failure is null)
        {
            _written.TrySetResult();
        }
        else
        {
            _written.TrySetException(Failure);
        }
    }
}
