namespace Gordon.Plugins.CloudWatch.Emf;

/// <summary>Where EMF lines go.</summary>
internal interface IEmfSink : IAsyncDisposable
{
    /// <summary>What this is, for logs ("stdout", a path).</summary>
    string Description { get; }

    /// <summary>Writes whole lines (each ends in '\n') and flushes them, so the collector sees whole documents.</summary>
    Task WriteAsync(ReadOnlyMemory<byte> lines, CancellationToken cancellationToken);
}
