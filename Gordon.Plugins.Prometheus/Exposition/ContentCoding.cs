using System.Net.Http.Headers;
using Microsoft.Extensions.Primitives;

namespace Gordon.Plugins.Prometheus.Exposition;

/// <summary>
/// Chooses the response's content coding from the scraper's <c>Accept-Encoding</c> header: gzip when the scraper
/// accepts it (Prometheus sends <c>Accept-Encoding: gzip</c>), none otherwise.
/// </summary>
internal static class ContentCoding
{
    /// <summary>Whether the scraper accepts gzip: a <c>gzip</c> or <c>x-gzip</c> entry whose quality is not zero.</summary>
    /// <param name="acceptEncoding">The <c>Accept-Encoding</c> header values.</param>
    /// <returns>True to answer gzip.</returns>
    public static bool AcceptsGzip(StringValues acceptEncoding)
    {
        foreach (var header in acceptEncoding)
        {
            foreach (var candidate in (header ?? string.Empty).Split(','))
            {
                // An unparseable entry is skipped: the exposition is still served, uncompressed at worst. "*" is not
                // taken as gzip: a client that names no coding may not decode one.
                if (StringWithQualityHeaderValue.TryParse(candidate, out var coding)
                    && (coding.Value.Equals("gzip", StringComparison.OrdinalIgnoreCase) || coding.Value.Equals("x-gzip", StringComparison.OrdinalIgnoreCase))
                    && coding.Quality is not 0d)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
