namespace Gordon.Core.Spool;

/// <summary>
/// The messages appended while the previous write was under way: they go to the file in one write, and their appends
/// all wait on this one completion instead of one each.
/// </summary>
internal sealed class SpoolCommitGroup
{
    // Asynchronous continuations: completing a group must not run the waiting requests on the writing thread.
    private readonly TaskCompletionSource _written = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public List<(long Sequence, int Size)> Messages { get; } = [];

    /// <summary>Completes when the group reached the file (and the disk, with <c>fsync = "always"</c>); faults when it cannot.</summary>
    public Task Written => _written.Task;

    public void Complete(Exception? failure)
    {
        if (failure is null)
        {
            _written.TrySetResult();
        }
        else
        {
            _written.TrySetException(failure);
        }
    }
}
