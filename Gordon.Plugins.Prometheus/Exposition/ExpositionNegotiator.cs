using System.Net.Http.Headers;
using Microsoft.Extensions.Primitives;
using Prometheus;

namespace Gordon.Plugins.Prometheus.Exposition;

/// <summary>
/// Chooses the exposition format from the scraper's <c>Accept</c> header: OpenMetrics 1.0 when the scraper prefers
/// <c>application/openmetrics-text</c> (Prometheus does), the 0.0.4 text format otherwise.
/// </summary>
internal static class ExpositionNegotiator
{
    /// <summary>The 0.0.4 text format's content type.</summary>
    public const string TextContentType = PrometheusConstants.TextContentTypeWithVersionAndEncoding;

    /// <summary>OpenMetrics' content type.</summary>
    public const string OpenMetricsContentType = PrometheusConstants.OpenMetricsContentTypeWithVersionAndEncoding;

    /// <summary>Chooses the format.</summary>
    /// <param name="accept">The <c>Accept</c> header values.</param>
    /// <param name="openMetrics">Whether OpenMetrics may be chosen.</param>
    /// <returns>The format and its content type.</returns>
    public static (ExpositionFormat Format, string ContentType) Negotiate(StringValues accept, bool openMetrics)
    {
        if (!openMetrics)
        {
            return (ExpositionFormat.PrometheusText, TextContentType);
        }

        MediaTypeWithQualityHeaderValue? best = null;
        foreach (var header in accept)
        {
            foreach (var candidate in (header ?? string.Empty).Split(','))
            {
                // Unparseable entries are skipped rather than failing the scrape; ties keep the scraper's order.
                if (MediaTypeWithQualityHeaderValue.TryParse(candidate, out var mediaType)
                    && mediaType.MediaType is PrometheusConstants.OpenMetricsContentType or PrometheusConstants.TextContentType
                    && (best is null || (mediaType.Quality ?? 1) > (best.Quality ?? 1)))
                {
                    best = mediaType;
                }
            }
        }

        return best?.MediaType == PrometheusConstants.OpenMetricsContentType
            ? (ExpositionFormat.OpenMetricsText, OpenMetricsContentType)
            : (ExpositionFormat.PrometheusText, TextContentType);
    }
}
