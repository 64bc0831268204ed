using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json.Nodes;

namespace Gordon.Plugins.Collectors.Insights;

/// <summary>
/// Writes a package as a gzip-compressed tar: the data files in the order added, then <c>./config.json</c>,
/// <c>./data_collection_status.csv</c> and <c>./manifest.json</c>. Member names start with <c>./</c>; JSON members
/// carry the gather's end as their time, CSV members their file's; every member has mode 0644.
/// </summary>
internal static class TarballWriter
{
    public const string ManifestName = "manifest.json";

    private const UnixFileMode Mode0644 =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>The configuration collector's output, added to every tarball.</summary>
    /// <param name="FileName">The member name, e.g. <c>config.json</c>.</param>
    /// <param name="Version">Its version for the manifest.</param>
    /// <param name="Json">Its JSON text.</param>
    public sealed record ConfigMember(string FileName, string Version, byte[] Json);

    public static async Task WriteAsync(string path, Package package, ConfigMember? config, DateTimeOffset gatherUntil, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(package);
        var manifest = new JsonObject();
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
        await using (file.ConfigureAwait(false))
        {
            var gzip = new GZipStream(file, CompressionLevel.Optimal, leaveOpen: true);
            await using (gzip.ConfigureAwait(false))
            {
                var tar = new TarWriter(gzip, TarEntryFormat.Ustar, leaveOpen: true);
                await using (tar.ConfigureAwait(false))
                {
                    foreach (var entry in package.Entries.Where(e => e.HasData))
                    {
                        var name = entry.Collection.Descriptor.FileName;
                        if (entry.Json is { } json)
                        {
                            await WriteBytesAsync(tar, name, json, gatherUntil, cancellationToken).ConfigureAwait(false);
                        }
                        else
                        {
                            await WriteFileAsync(tar, name, entry.CsvFile!, cancellationToken).ConfigureAwait(false);
                        }

                        manifest[name] = entry.Collection.Descriptor.Version;
                    }

                    if (config is not null)
                    {
                        await WriteBytesAsync(tar, config.FileName, config.Json, gatherUntil, cancellationToken).ConfigureAwait(false);
                        manifest[config.FileName] = config.Version;
                    }

                    var status = StatusFile.Build(package.Entries);
                    await WriteBytesAsync(tar, StatusFile.FileName, status, gatherUntil, cancellationToken).ConfigureAwait(false);
                    manifest[StatusFile.FileName] = StatusFile.Version;
                    var manifestBytes = System.Text.Encoding.UTF8.GetBytes(manifest.ToJsonString());
                    await WriteBytesAsync(tar, ManifestName, manifestBytes, gatherUntil, cancellationToken).ConfigureAwait(false);
                }
            }

            await file.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task WriteBytesAsync(TarWriter tar, string name, byte[] data, DateTimeOffset time, CancellationToken cancellationToken)
    {
        var entry = new UstarTarEntry(TarEntryType.RegularFile, "./" + name)
        {
            DataStream = new MemoryStream(data, writable: false),
            ModificationTime = time,
            Mode = Mode0644,
        };
        await tar.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
    }

    private static async Task WriteFileAsync(TarWriter tar, string name, string path, CancellationToken cancellationToken)
    {
        var data = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        await using (data.ConfigureAwait(false))
        {
            var entry = new UstarTarEntry(TarEntryType.RegularFile, "./" + name)
            {
                DataStream = data,
                ModificationTime = new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero),
                Mode = Mode0644,
            };
            await tar.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
        }
    }
}
