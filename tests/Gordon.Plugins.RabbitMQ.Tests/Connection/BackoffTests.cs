using Gordon.Plugins.RabbitMQ.Connection;

namespace Gordon.Plugins.RabbitMQ.Tests.Connection;

public sealed class BackoffTests
{
    [Test]
    public void Next_DoublesUpToTheCap_AndResetStartsOver()
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5));

        var first = Enumerable.Range(0, 5).Select(_ => backoff.Next().TotalSeconds).ToList();
        backoff.Reset();

        Assert.That(first, Is.EqualTo(new double[] { 1, 2, 4, 5, 5 }));
        Assert.That(backoff.Next(), Is.EqualTo(TimeSpan.FromSeconds(1)));
    }
}
