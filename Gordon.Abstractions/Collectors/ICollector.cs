namespace Gordon.Abstractions.Collectors;

/// <summary>A collector written as a class; mark it with <see cref="CollectorAttribute"/>.</summary>
public interface ICollector
{
    /// <summary>
    /// Collects the data of one window (or one slice of it). Throwing marks the collection <c>failed</c> in the
    /// tarball's status file and stops that key's watermark at this slice.
    /// </summary>
    /// <param name="invocation">The window and where to write files.</param>
    /// <param name="cancellationToken">Cancelled when the gather is abandoned.</param>
    /// <returns>The data: JSON for a JSON collector, file paths for a CSV collector.</returns>
    Task<CollectorOutput> CollectAsync(CollectorInvocation invocation, CancellationToken cancellationToken);
}
