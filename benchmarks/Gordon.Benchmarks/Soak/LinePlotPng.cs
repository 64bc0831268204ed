using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Gordon.Core.Spool;

namespace Gordon.Benchmarks.Soak;

/// <summary>
/// Draws one series as a line on a white PNG with axes and grid, no text: enough to see a trend in
/// RESULTS.md without a plotting library (the mirror has none we pin). The scale is written next to it.
/// </summary>
internal static class LinePlotPng
{
    private const int Width = 800;
    private const int Height = 300;
    private const int Margin = 20;

    public static void Write(string path, IReadOnlyList<(double X, double Y)> points, double yMin, double yMax)
    {
        var pixels = new byte[Height * (1 + (Width * 3))];
        for (var y = 0; y < Height; y++)
        {
            pixels[y * (1 + (Width * 3))] = 0; // filter: none
            for (var x = 0; x < Width; x++)
            {
                Set(pixels, x, y, 255, 255, 255);
            }
        }

        for (var i = 0; i <= 4; i++)
        {
            var gy = Margin + ((Height - (2 * Margin)) * i / 4);
            for (var x = Margin; x < Width - Margin; x++)
            {
                Set(pixels, x, gy, 220, 220, 220);
            }
        }

        for (var x = Margin; x < Width - Margin; x++)
        {
            Set(pixels, x, Height - Margin, 0, 0, 0);
        }

        for (var y = Margin; y <= Height - Margin; y++)
        {
            Set(pixels, Margin, y, 0, 0, 0);
        }

        if (points.Count > 1)
        {
            var xMin = points[0].X;
            var xMax = Math.Max(points[^1].X, xMin + 1);
            var span = Math.Max(yMax - yMin, 1e-9);
            (int, int) Map((double X, double Y) p) => (
                Margin + (int)((p.X - xMin) / (xMax - xMin) * (Width - (2 * Margin))),
                Height - Margin - (int)((p.Y - yMin) / span * (Height - (2 * Margin))));
            for (var i = 1; i < points.Count; i++)
            {
                Line(pixels, Map(points[i - 1]), Map(points[i]));
            }
        }

        using var file = File.Create(path);
        file.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, Width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), Height);
        header[8] = 8; // bit depth
        header[9] = 2; // truecolour RGB
        Chunk(file, "IHDR", header);
        using (var compressed = new MemoryStream())
        {
            using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            {
                zlib.Write(pixels);
            }

            Chunk(file, "IDAT", compressed.ToArray());
        }

        Chunk(file, "IEND", []);
    }

    private static void Line(byte[] pixels, (int X, int Y) from, (int X, int Y) to)
    {
        var steps = Math.Max(Math.Abs(to.X - from.X), Math.Abs(to.Y - from.Y));
        for (var s = 0; s <= steps; s++)
        {
            var x = from.X + ((to.X - from.X) * s / Math.Max(steps, 1));
            var y = from.Y + ((to.Y - from.Y) * s / Math.Max(steps, 1));
            for (var d = 0; d < 2; d++)
            {
                Set(pixels, x, y + d, 200, 30, 30);
            }
        }
    }

    private static void Set(byte[] pixels, int x, int y, byte r, byte g, byte b)
    {
        if (x < 0 || x >= Width || y < 0 || y >= Height)
        {
            return;
        }

        var i = (y * (1 + (Width * 3))) + 1 + (x * 3);
        pixels[i] = r;
        pixels[i + 1] = g;
        pixels[i + 2] = b;
    }

    private static void Chunk(Stream stream, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        stream.Write(length);
        var typed = new byte[4 + data.Length];
        Encoding.ASCII.GetBytes(type).CopyTo(typed, 0);
        data.CopyTo(typed, 4);
        stream.Write(typed);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32.Compute(typed));
        stream.Write(crc);
    }
}
