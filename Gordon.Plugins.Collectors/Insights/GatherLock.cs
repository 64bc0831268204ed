using System.Buffers.Binary;
using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Gordon.Plugins.Collectors.Stores;

namespace Gordon.Plugins.Collectors.Insights;

/// <summary>Lets one gather run at a time; a second one is refused at once ("locked").</summary>
internal interface IGatherLock
{
    /// <summary>What is locked, for messages.</summary>
    string Description { get; }

    /// <summary>Takes the lock, or returns null at once when another gather holds it.</summary>
    Task<IAsyncDisposable?> TryAcquireAsync(CancellationToken cancellationToken);
}

/// <summary>
/// An exclusive, non-blocking lock on a file in the state directory: one gather at a time on this machine (the
/// daemon's schedule and <c>gordon collect</c>). The operating system releases it if the process dies.
/// </summary>
internal sealed class GatherLock(string path) : IGatherLock
{
    public string Path { get; } = path;

    public string Description => Path;

    public Task<IAsyncDisposable?> TryAcquireAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        try
        {
            // FileShare.None is an exclusive flock on Unix: a second open fails, in this process or another.
            return Task.FromResult<IAsyncDisposable?>(new FileStream(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None));
        }
        catch (IOException)
        {
            return Task.FromResult<IAsyncDisposable?>(null);
        }
    }
}

/// <summary>
/// A PostgreSQL session advisory lock on the shared event store (<c>lock = "store"</c>): one gather at a time over
/// every daemon that shares the store, as the original's <c>gather_analytics_lock</c> (same key: SHA-512 of the name,
/// modulo 2^63). The server releases it if the connection drops.
/// </summary>
internal sealed class StoreAdvisoryLock(DatabaseUrl url, string name = "gather_analytics_lock") : IGatherLock
{
    public string Description => $"advisory lock '{name}' on {url.Display}";

    public long Key { get; } = KeyOf(name);

    public async Task<IAsyncDisposable?> TryAcquireAsync(CancellationToken cancellationToken)
    {
        var connection = await url.OpenReadOnlyAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (await ScalarAsync(connection, "SELECT pg_try_advisory_lock(@key)", Key, cancellationToken).ConfigureAwait(false) is true)
            {
                return new Held(connection, Key);
            }
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        await connection.DisposeAsync().ConfigureAwait(false);
        return null;
    }

    internal static long KeyOf(string name)
    {
        var digest = SHA512.HashData(Encoding.UTF8.GetBytes(name));
        return (long)(BinaryPrimitives.ReadUInt64BigEndian(digest.AsSpan(digest.Length - 8)) & long.MaxValue);
    }

    private static async Task<object?> ScalarAsync(DbConnection connection, string sql, long key, CancellationToken cancellationToken)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = sql;
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@key";
            parameter.Value = key;
            command.Parameters.Add(parameter);
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private sealed class Held(DbConnection connection, long key) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await ScalarAsync(connection, "SELECT pg_advisory_unlock(@key)", key, CancellationToken.None).ConfigureAwait(false);
            }
            catch (DbException)
            {
                // Closing the session below releases the lock anyway.
            }

            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
