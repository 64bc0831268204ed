namespace Gordon.Plugins.CloudWatch.Emf;

/// <summary>EMF lines to a stream the plugin does not own (standard output).</summary>
internal sealed class StreamEmfSink(Stream stream, string description) : IEmfSink
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public string Description => description;

    public async Task WriteAsync(ReadOnlyMemory<byte> lines, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await stream.WriteAsync(lines, cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public ValueTask DisposeAsync()
    {
        _gate.Dispose();
        return ValueTask.CompletedTask;
    }
}
