using System.Text;
using Amazon.Runtime;
using Gordon.Plugins.CloudWatch.Api;
using Gordon.Plugins.CloudWatch.Tests.Support;

namespace Gordon.Plugins.CloudWatch.Tests.Api;

/// <summary>The product's signer against AWS's SigV4 test suite (credentials AKIDEXAMPLE, 2015-08-30T12:36:00Z, us-east-1, "service").</summary>
public sealed class AwsRequestSignerTests
{
    internal const string SuiteKey = "AKIDEXAMPLE";
    internal const string SuiteSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    internal static readonly DateTimeOffset SuiteTime = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);
    private static readonly ImmutableCredentials Suite = new(SuiteKey, SuiteSecret, null);

    [Test]
    public void Sign_GetVanilla_MatchesTheSuitesSignature()
    {
        var headers = AwsRequestSigner.Sign("GET", new Uri("https://example.amazonaws.com/"), new Dictionary<string, string>(), [], Suite,
            "us-east-1", "service", SuiteTime, signPayloadHeader: false);

        Assert.That(headers["Authorization"], Is.EqualTo(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, "
            + "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"));
        Assert.That(headers["X-Amz-Date"], Is.EqualTo("20150830T123600Z"));
    }

    [Test]
    public void Sign_GetVanillaQueryOrderKeyCase_SortsTheQuery()
    {
        var headers = AwsRequestSigner.Sign("GET", new Uri("https://example.amazonaws.com/?Param2=value2&Param1=value1"),
            new Dictionary<string, string>(), [], Suite, "us-east-1", "service", SuiteTime, signPayloadHeader: false);

        Assert.That(headers["Authorization"], Does.EndWith("Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"));
    }

    [Test]
    public void Sign_PostXWwwFormUrlencoded_MatchesTheSuitesSignature()
    {
        var headers = AwsRequestSigner.Sign("POST", new Uri("https://example.amazonaws.com/"),
            new Dictionary<string, string> { ["Content-Type"] = "application/x-www-form-urlencoded" }, "Param1=value1"u8, Suite,
            "us-east-1", "service", SuiteTime, signPayloadHeader: false);

        Assert.That(headers["Authorization"], Is.EqualTo(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=content-type;host;x-amz-date, "
            + "Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"));
    }

    [Test]
    public void Sign_WithSessionToken_SignsTheTokenHeader()
    {
        var headers = AwsRequestSigner.Sign("POST", new Uri("http://127.0.0.1:9/"), new Dictionary<string, string>(), "x=1"u8,
            new ImmutableCredentials(SuiteKey, SuiteSecret, "the-token"), "us-east-1", "monitoring", SuiteTime);

        Assert.That(headers["X-Amz-Security-Token"], Is.EqualTo("the-token"));
        Assert.That(headers["Authorization"], Does.Contain("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token"));
        Assert.That(headers["Authorization"], Does.Contain("/us-east-1/monitoring/aws4_request"));
    }

    [Test]
    public void Sign_ForCloudWatch_IsAcceptedByTheIndependentVerifier_AndNotWithAnotherSecret()
    {
        var body = Encoding.ASCII.GetBytes("Action=PutMetricData&Version=2010-08-01&Namespace=A");
        var endpoint = new Uri("http://127.0.0.1:4566/");
        var headers = AwsRequestSigner.Sign("POST", endpoint, new Dictionary<string, string> { ["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8" },
            body, Suite, "eu-west-1", "monitoring", SuiteTime);
        var request = new SigV4Verifier.Request("POST", "/", string.Empty, [.. headers], body);

        var right = SigV4Verifier.Verify(request, _ => SuiteSecret, "eu-west-1", "monitoring", SuiteTime);
        var wrong = SigV4Verifier.Verify(request, _ => SuiteSecret + "x", "eu-west-1", "monitoring", SuiteTime);

        Assert.That(right.Valid, Is.True, right.Problem);
        Assert.That(wrong.Valid, Is.False);
        Assert.That(wrong.Problem, Is.EqualTo("signature does not match"));
    }
}
