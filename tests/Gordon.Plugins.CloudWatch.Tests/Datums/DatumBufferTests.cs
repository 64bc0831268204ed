using Gordon.Plugins.CloudWatch.Configuration;
using Gordon.Plugins.CloudWatch.Datums;

namespace Gordon.Plugins.CloudWatch.Tests.Datums;

public sealed class DatumBufferTests
{
    [Test]
    public void DropOldest_KeepsTheNewest_AndReportsHowManyWentOut()
    {
        var buffer = new DatumBuffer(3, OverflowPolicy.DropOldest);

        var dropped = buffer.Add(Datums("a", "b", "c", "d", "e"));

        Assert.That(dropped, Is.EqualTo(2));
        Assert.That(Names(buffer.Take(10)), Is.EqualTo(new[] { "c", "d", "e" }));
    }

    [Test]
    public void DropNewest_KeepsWhatWasBuffered()
    {
        var buffer = new DatumBuffer(3, OverflowPolicy.DropNewest);

        var dropped = buffer.Add(Datums("a", "b", "c", "d"));

        Assert.That(dropped, Is.EqualTo(1));
        Assert.That(Names(buffer.Take(10)), Is.EqualTo(new[] { "a", "b", "c" }));
    }

    [Test]
    public void Reject_RefusesAnEventThatDoesNotFitWhole()
    {
        var buffer = new DatumBuffer(3, OverflowPolicy.Reject);
        buffer.Add(Datums("a", "b"));

        Assert.That(buffer.Add(Datums("c", "d")), Is.EqualTo(-1));
        Assert.That(buffer.Count, Is.EqualTo(2));
    }

    [Test]
    public void ReturnToFront_PutsUnsentDatumsBeforeNewerOnes_WithinTheBound()
    {
        var buffer = new DatumBuffer(4, OverflowPolicy.DropOldest);
        buffer.Add(Datums("a", "b", "c"));
        var taken = buffer.Take(3);
        buffer.Add(Datums("d", "e"));

        var dropped = buffer.ReturnToFront(taken);

        Assert.That(dropped, Is.EqualTo(1), "only two of the three fit; the oldest goes");
        Assert.That(Names(buffer.Take(10)), Is.EqualTo(new[] { "b", "c", "d", "e" }));
    }

    [Test]
    public void Ring_GrowsAndWrapsWithoutLosingOrder()
    {
        var buffer = new DatumBuffer(5000, OverflowPolicy.DropOldest);
        var expected = new List<string>();
        for (var round = 0; round < 5; round++)
        {
            var names = Enumerable.Range(0, 1500).Select(i => $"{round}-{i}").ToArray();
            buffer.Add(Datums(names));
            expected.AddRange(names);
            var taken = Names(buffer.Take(1000));
            Assert.That(taken, Is.EqualTo(expected.Take(1000)));
            expected.RemoveRange(0, 1000);
        }

        Assert.That(Names(buffer.Take(int.MaxValue)), Is.EqualTo(expected));
    }

    private static List<MetricDatum> Datums(params string[] names) =>
        [.. names.Select(n => new MetricDatum(n, [], 1, null, DateTimeOffset.UnixEpoch))];

    private static IEnumerable<string> Names(IEnumerable<MetricDatum> datums) => datums.Select(d => d.MetricName);
}
