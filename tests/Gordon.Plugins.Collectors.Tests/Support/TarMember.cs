using System.Formats.Tar;
using System.IO.Compression;

namespace Gordon.Plugins.Collectors.Tests.Support;

/// <summary>One member of a tarball, read back whole.</summary>
internal sealed record TarMember(string Name, byte[] Data, DateTimeOffset ModificationTime, UnixFileMode Mode, TarEntryType Type)
{
    public string Text => System.Text.Encoding.UTF8.GetString(Data);

    public static async Task<IReadOnlyList<TarMember>> ReadAllAsync(byte[] tarGz)
    {
        var members = new List<TarMember>();
        using var gzip = new GZipStream(new MemoryStream(tarGz), CompressionMode.Decompress);
        using var reader = new TarReader(gzip);
        while (await reader.GetNextEntryAsync(copyData: true) is { } entry)
        {
            var data = new MemoryStream();
            if (entry.DataStream is { } stream)
            {
                await stream.CopyToAsync(data);
            }

            members.Add(new TarMember(entry.Name, data.ToArray(), entry.ModificationTime, entry.Mode, entry.EntryType));
        }

        return members;
    }
}
