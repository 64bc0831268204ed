using System.Xml;
using System.Xml.Linq;

namespace Gordon.Plugins.CloudWatch.Api;

/// <summary>An AWS Query-protocol error (<c>&lt;ErrorResponse&gt;&lt;Error&gt;&lt;Code/&gt;&lt;Message/&gt;</c>).</summary>
/// <param name="Code">AWS's error code, e.g. <c>Throttling</c>, or the HTTP reason when the body has none.</param>
/// <param name="Message">AWS's message, or the start of the body.</param>
internal readonly record struct AwsErrorResponse(string Code, string Message)
{
    public static AwsErrorResponse Parse(string body, HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        string? code = null;
        string? message = null;
        if (!string.IsNullOrWhiteSpace(body))
        {
            try
            {
                var error = XDocument.Parse(body).Descendants().FirstOrDefault(e => e.Name.LocalName == "Error");
                code = error?.Elements().FirstOrDefault(e => e.Name.LocalName == "Code")?.Value;
                message = error?.Elements().FirstOrDefault(e => e.Name.LocalName == "Message")?.Value;
            }
            catch (XmlException)
            {
                // Not XML (a proxy's HTML page, say): fall back to the header and the raw text below.
            }
        }

        // Query-compatible services also name the code in a header: "Code;Sender".
        if (code is null && response.Headers.TryGetValues("x-amzn-query-error", out var values))
        {
            code = values.FirstOrDefault()?.Split(';')[0];
        }

        code ??= response.ReasonPhrase ?? ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        message ??= body.Length > 200 ? body[..200] : body;
        return new AwsErrorResponse(code, message.Trim());
    }
}
