using Gordon.Plugins.Collectors.Insights;

namespace Gordon.Plugins.Collectors.Tests.Insights;

/// <summary>Part C, window rules.</summary>
public sealed class GatherWindowTests
{
    private static readonly DateTimeOffset Now = new(2024, 3, 10, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void Calculate_NothingGiven_EndsNowWithHistoryFromTheHorizon()
    {
        var window = GatherWindow.Calculate(Now, null, null, null, [], out _)!;

        Assert.Multiple(() =>
        {
            Assert.That(window.Since, Is.Null);
            Assert.That(window.Until, Is.EqualTo(Now));
            Assert.That(window.Horizon, Is.EqualTo(Now.AddDays(-28)));
            Assert.That(window.LastGather, Is.EqualTo(Now.AddDays(-28)));
            Assert.That(window.SinceFor(null), Is.EqualTo(Now.AddDays(-28)));
        });
    }

    [Test]
    public void Calculate_FutureEnds_AreClampedToNowWithANote()
    {
        var notes = new List<string>();

        var window = GatherWindow.Calculate(Now, Now.AddDays(-1), Now.AddDays(2), null, notes, out _)!;

        Assert.Multiple(() =>
        {
            Assert.That(window.Until, Is.EqualTo(Now));
            Assert.That(window.Since, Is.EqualTo(Now.AddDays(-1)));
            Assert.That(notes, Has.One.Contains("in the future"));
        });
    }

    [Test]
    public void Calculate_FutureSinceWithoutUntil_IsAnError()
    {
        var window = GatherWindow.Calculate(Now, Now.AddDays(1), null, null, [], out var error);

        Assert.Multiple(() =>
        {
            Assert.That(window, Is.Null);
            Assert.That(error, Does.Contain("must be before until"));
        });
    }

    [Test]
    public void Calculate_WindowOver28Days_IsClipped()
    {
        var notes = new List<string>();

        var window = GatherWindow.Calculate(Now, Now.AddDays(-60), Now.AddDays(-10), null, notes, out _)!;

        Assert.Multiple(() =>
        {
            Assert.That(window.Since, Is.EqualTo(Now.AddDays(-60)));
            Assert.That(window.Until, Is.EqualTo(Now.AddDays(-32)));
            Assert.That(notes, Has.One.Contains("longer than 28 days"));
        });
    }

    [Test]
    public void Calculate_SinceWithoutUntil_EndsAtTheEarlierOfSincePlus28DaysAndNow()
    {
        Assert.Multiple(() =>
        {
            Assert.That(GatherWindow.Calculate(Now, Now.AddDays(-40), null, null, [], out _)!.Until, Is.EqualTo(Now.AddDays(-12)));
            Assert.That(GatherWindow.Calculate(Now, Now.AddDays(-5), null, null, [], out _)!.Until, Is.EqualTo(Now));
        });
    }

    [TestCase(0)]
    [TestCase(-1)]
    public void Calculate_SinceAtOrAfterUntil_IsAnError(int hours)
    {
        var window = GatherWindow.Calculate(Now, Now.AddDays(-1), Now.AddDays(-1).AddHours(hours), null, [], out var error);

        Assert.That(window, Is.Null);
        Assert.That(error, Does.Contain("must be before until"));
    }

    [Test]
    public void Calculate_HistoryOlderThan28Days_IsRaisedToTheHorizon()
    {
        var window = GatherWindow.Calculate(Now, null, null, Now.AddDays(-90), [], out _)!;

        Assert.Multiple(() =>
        {
            Assert.That(window.LastGather, Is.EqualTo(Now.AddDays(-28)));
            Assert.That(window.SinceFor(Now.AddDays(-50)), Is.EqualTo(Now.AddDays(-28)));
            Assert.That(window.SinceFor(Now.AddDays(-3)), Is.EqualTo(Now.AddDays(-3)));
        });
    }

    [Test]
    public void Calculate_RecentLastGather_IsTheStartForKeysWithoutAWatermark()
    {
        var window = GatherWindow.Calculate(Now, null, null, Now.AddDays(-2), [], out _)!;

        Assert.That(window.SinceFor(null), Is.EqualTo(Now.AddDays(-2)));
    }
}
