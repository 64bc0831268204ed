using Gordon.Core.Routing;

namespace Gordon.Core.Tests.Routing;

public sealed class RetryBackoffTests
{
    [TestCase(1, 100)]
    [TestCase(2, 200)]
    [TestCase(3, 400)]
    [TestCase(20, 30_000)]
    public void Delay_DoublesUpToTheCap_WithJitterFromHalfToAll(int failedAttempts, double fullMs)
    {
        var initial = TimeSpan.FromMilliseconds(100);
        var max = TimeSpan.FromSeconds(30);

        var shortest = RetryBackoff.Delay(failedAttempts, initial, max, 0);
        var longest = RetryBackoff.Delay(failedAttempts, initial, max, 0.999999);

        Assert.That(shortest.TotalMilliseconds, Is.EqualTo(fullMs / 2).Within(0.01));
        Assert.That(longest.TotalMilliseconds, Is.EqualTo(fullMs).Within(0.1));
    }
}
