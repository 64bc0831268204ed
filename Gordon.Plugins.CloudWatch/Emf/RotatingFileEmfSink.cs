using System.Globalization;

namespace Gordon.Plugins.CloudWatch.Emf;

/// <summary>
/// EMF lines appended to a file that is rotated by size: <c>emf.log</c> → <c>emf.log.1</c> → … → <c>emf.log.N</c>, the
/// oldest deleted, the way logrotate names them (the CloudWatch agent follows the live name). A line never straddles
/// two files.
/// </summary>
internal sealed class RotatingFileEmfSink : IEmfSink
{
    private readonly string _path;
    private readonly long _maxSize;
    private readonly int _maxFiles;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private FileStream? _stream;

    /// <param name="path">The live file.</param>
    /// <param name="maxSize">Rotate before a write would make the file larger than this.</param>
    /// <param name="maxFiles">Rotated files kept besides the live one.</param>
    public RotatingFileEmfSink(string path, long maxSize, int maxFiles)
    {
        _path = path ?? throw new ArgumentNullException(nameof(path));
        _maxSize = maxSize;
        _maxFiles = maxFiles;
    }

    public string Description => _path;

    public async Task WriteAsync(ReadOnlyMemory<byte> lines, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var stream = Open();
            if (stream.Length > 0 && stream.Length + lines.Length > _maxSize)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
                _stream = null;
                Rotate();
                stream = Open();
            }

            await stream.WriteAsync(lines, cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stream is not null)
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
            _stream = null;
        }

        _gate.Dispose();
    }

    private FileStream Open()
    {
        if (_stream is null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            _stream = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read, 4096, useAsync: true);
        }

        return _stream;
    }

    private void Rotate()
    {
        File.Delete(Numbered(_maxFiles));
        for (var n = _maxFiles - 1; n >= 1; n--)
        {
            if (File.Exists(Numbered(n)))
            {
                File.Move(Numbered(n), Numbered(n + 1), overwrite: true);
            }
        }

        File.Move(_path, Numbered(1), overwrite: true);
    }

    private string Numbered(int n) => _path + "." + n.ToString(CultureInfo.InvariantCulture);
}
