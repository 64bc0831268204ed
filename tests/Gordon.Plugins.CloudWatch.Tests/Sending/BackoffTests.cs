using System.Net;
using Gordon.Plugins.CloudWatch.Api;
using Gordon.Plugins.CloudWatch.Sending;

namespace Gordon.Plugins.CloudWatch.Tests.Sending;

public sealed class BackoffTests
{
    [TestCase(1, 0.0, 500)]
    [TestCase(1, 0.999, 999)]
    [TestCase(3, 0.0, 2000)]
    [TestCase(10, 0.5, 22500)]
    public void Delay_DoublesPerAttempt_WithEqualJitter_UpToTheCap(int attempt, double random, int expectedMs)
    {
        var delay = Backoff.Delay(attempt, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), random);

        Assert.That(delay.TotalMilliseconds, Is.EqualTo(expectedMs).Within(1));
    }

    [TestCase(HttpStatusCode.BadRequest, "Throttling", "Retryable")]
    [TestCase(HttpStatusCode.TooManyRequests, "Whatever", "Retryable")]
    [TestCase(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable", "Retryable")]
    [TestCase(HttpStatusCode.InternalServerError, "InternalFailure", "Retryable")]
    [TestCase(HttpStatusCode.BadRequest, "InvalidParameterValue", "Invalid")]
    [TestCase(HttpStatusCode.BadRequest, "MissingParameter", "Invalid")]
    [TestCase(HttpStatusCode.RequestEntityTooLarge, "RequestEntityTooLarge", "TooLarge")]
    [TestCase(HttpStatusCode.Forbidden, "SignatureDoesNotMatch", "AuthFailed")]
    [TestCase(HttpStatusCode.Forbidden, "AccessDenied", "AuthFailed")]
    [TestCase(HttpStatusCode.Forbidden, "ExpiredToken", "ExpiredCredentials")]
    public void Classify_FollowsAwsErrorCodes(HttpStatusCode status, string code, string expected) =>
        Assert.That(CloudWatchApiClient.Classify(status, code).ToString(), Is.EqualTo(expected));
}
