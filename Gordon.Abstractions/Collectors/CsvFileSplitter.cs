using System.Buffers;
using System.Text;

namespace Gordon.Abstractions.Collectors;

/// <summary>
/// Writes CSV text into files of about <c>maxFileSize</c> bytes each, repeating the header line at the top of every
/// file, so a large table can be shipped in several tarballs. Files are named <c>&lt;path&gt;_split&lt;N&gt;</c>; a
/// single file is renamed to <c>&lt;path&gt;</c> itself.
/// </summary>
/// <remarks>
/// The first write must hold the header line. A file is closed after the write that brings it to
/// <c>maxFileSize</c> bytes or more (header included), so a file may exceed the limit by one write: write rows one
/// at a time. Not thread-safe.
/// </remarks>
public sealed class CsvFileSplitter : IAsyncDisposable
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly string _path;
    private readonly long _maxFileSize;
    private readonly List<string> _files = [];
    private FileStream? _current;
    private byte[]? _header;
    private long _count;
    private bool _completed;

    /// <summary>Starts the first file.</summary>
    /// <param name="path">The path of the (single) output file; parts get <c>_split0</c>, <c>_split1</c>, … appended.</param>
    /// <param name="maxFileSize">The size in bytes at which a file is closed and the next begun; at least 1.</param>
    public CsvFileSplitter(string path, long maxFileSize)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFileSize, 1);
        _path = path;
        _maxFileSize = maxFileSize;
    }

    /// <summary>Writes CSV text: the header line first (possibly with rows after it), then rows.</summary>
    /// <param name="text">Whole lines, each ending in <c>\n</c>.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="ArgumentException">The first write holds no complete header line.</exception>
    /// <exception cref="InvalidOperationException">The splitter was completed.</exception>
    public async Task WriteAsync(string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        ObjectDisposedException.ThrowIf(_completed, this);
        // Rows are written one at a time: a pooled buffer keeps that from allocating an array per row.
        var buffer = ArrayPool<byte>.Shared.Rent(Utf8.GetMaxByteCount(text.Length));
        try
        {
            var length = Utf8.GetBytes(text, buffer);
            if (_header is null)
            {
                var end = Array.IndexOf(buffer, (byte)'\n', 0, length);
                if (end < 0)
                {
                    throw new ArgumentException("The first write must hold the CSV header line, ending in a newline.", nameof(text));
                }

                _header = buffer[..(end + 1)];
                await OpenNextAsync(writeHeader: false, cancellationToken).ConfigureAwait(false);
            }

            await _current!.WriteAsync(buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            _count += length;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (_count >= _maxFileSize)
        {
            await OpenNextAsync(writeHeader: true, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Closes the last file and returns the files holding data, in order. A last file that holds only the header is
    /// deleted; a single remaining file is renamed to the bare path. Nothing written, or only a header, gives an
    /// empty list.
    /// </summary>
    /// <param name="cancellationToken">Cancels the flush.</param>
    /// <returns>The paths.</returns>
    public async Task<IReadOnlyList<string>> CompleteAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        _completed = true;
        if (_current is null)
        {
            return [];
        }

        await _current.FlushAsync(cancellationToken).ConfigureAwait(false);
        await _current.DisposeAsync().ConfigureAwait(false);
        _current = null;
        var last = _files[^1];
        if (new FileInfo(last).Length <= _header!.Length)
        {
            File.Delete(last);
            _files.RemoveAt(_files.Count - 1);
        }

        if (_files.Count == 1)
        {
            File.Move(_files[0], _path, overwrite: true);
            _files[0] = _path;
        }

        return [.. _files];
    }

    /// <summary>Closes the open file without renaming anything (for abandoned writes).</summary>
    /// <returns>A task that completes when the file is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        _completed = true;
        if (_current is { } current)
        {
            _current = null;
            await current.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task OpenNextAsync(bool writeHeader, CancellationToken cancellationToken)
    {
        if (_current is { } previous)
        {
            await previous.DisposeAsync().ConfigureAwait(false);
        }

        var name = _path + "_split" + _files.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _current = new FileStream(name, FileMode.Create, FileAccess.Write, FileShare.None, 4096, useAsync: true);
        _files.Add(name);
        _count = 0;
        if (writeHeader)
        {
            await _current.WriteAsync(_header, cancellationToken).ConfigureAwait(false);
            _count = _header!.Length;
        }
    }
}
