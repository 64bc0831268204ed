using System.Text;
using Gordon.Plugins.CloudWatch.Tests.Support;

namespace Gordon.Plugins.CloudWatch.Tests.Api;

/// <summary>The test server's verifier, held to AWS's published SigV4 test suite so it can be trusted to judge the product.</summary>
public sealed class SigV4VerifierTests
{
    private const string Scope = "AKIDEXAMPLE/20150830/us-east-1/service/aws4_request";

    [Test]
    public void Verify_GetVanillaFromTheSuite_IsValid()
    {
        var result = SigV4Verifier.Verify(GetVanilla(), Secret, "us-east-1", "service");

        Assert.That(result.Valid, Is.True, result.Problem);
        Assert.That(result.AccessKey, Is.EqualTo("AKIDEXAMPLE"));
    }

    [Test]
    public void Verify_PostXWwwFormUrlencodedFromTheSuite_BuildsTheSuitesCanonicalRequestAndIsValid()
    {
        var request = new SigV4Verifier.Request("POST", "/", string.Empty,
        [
            new("Content-Type", "application/x-www-form-urlencoded"),
            new("Host", "example.amazonaws.com"),
            new("X-Amz-Date", "20150830T123600Z"),
            new("Authorization", $"AWS4-HMAC-SHA256 Credential={Scope}, SignedHeaders=content-type;host;x-amz-date, Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"),
        ], Encoding.ASCII.GetBytes("Param1=value1"));

        var canonical = SigV4Verifier.CanonicalRequest(request, ["content-type", "host", "x-amz-date"], "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e");
        var stringToSign = SigV4Verifier.StringToSign("20150830T123600Z", "20150830/us-east-1/service/aws4_request", canonical);
        var result = SigV4Verifier.Verify(request, Secret, "us-east-1", "service");

        Assert.That(canonical, Is.EqualTo("POST\n/\n\ncontent-type:application/x-www-form-urlencoded\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e"));
        Assert.That(stringToSign, Does.EndWith("42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281"));
        Assert.That(result.Valid, Is.True, result.Problem);
    }

    [Test]
    public void Verify_WrongSecret_IsRejected()
    {
        var result = SigV4Verifier.Verify(GetVanilla(), _ => "not-the-secret", "us-east-1", "service");

        Assert.That(result.Valid, Is.False);
        Assert.That(result.Problem, Is.EqualTo("signature does not match"));
    }

    [Test]
    public void Verify_TamperedPath_IsRejected()
    {
        var result = SigV4Verifier.Verify(GetVanilla() with { Path = "/other" }, Secret, "us-east-1", "service");

        Assert.That(result.Valid, Is.False);
    }

    [Test]
    public void Verify_OtherServiceOrRegion_IsRejected()
    {
        Assert.That(SigV4Verifier.Verify(GetVanilla(), Secret, "us-east-1", "monitoring").Valid, Is.False);
        Assert.That(SigV4Verifier.Verify(GetVanilla(), Secret, "eu-west-1", "service").Valid, Is.False);
    }

    [Test]
    public void Verify_RequestFromMoreThanFifteenMinutesAgo_IsRejected()
    {
        var result = SigV4Verifier.Verify(GetVanilla(), Secret, "us-east-1", "service", AwsRequestSignerTests.SuiteTime.AddMinutes(16));

        Assert.That(result.Valid, Is.False);
        Assert.That(result.Problem, Does.Contain("15 minutes"));
    }

    [Test]
    public void SigningKey_IsTheDocumentedChain()
    {
        var key = SigV4Verifier.SigningKey(AwsRequestSignerTests.SuiteSecret, "20150830", "us-east-1", "service");

        // The suite's derived key for this scope, as AWS's documentation gives it.
        Assert.That(SigV4Verifier.Hex(key), Is.EqualTo("938127b5336810ddb6a5d6af445fcac9e371f9ed418ed386b022aed82901be75"));
    }

    private static string? Secret(string accessKey) => accessKey == "AKIDEXAMPLE" ? AwsRequestSignerTests.SuiteSecret : null;

    private static SigV4Verifier.Request GetVanilla() => new("GET", "/", string.Empty,
    [
        new("Host", "example.amazonaws.com"),
        new("X-Amz-Date", "20150830T123600Z"),
        new("Authorization", $"AWS4-HMAC-SHA256 Credential={Scope}, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
    ], []);
}
