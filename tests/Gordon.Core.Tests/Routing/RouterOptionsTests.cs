using Gordon.Abstractions.Configuration;
using Gordon.Core.Routing;

namespace Gordon.Core.Tests.Routing;

public sealed class RouterOptionsTests
{
    private static ConfigSection Section(params (string Key, object Value)[] values) =>
        new(new ConfigTable("core.router", values.Select(v => KeyValuePair.Create(v.Key, new ConfigValue(v.Value, null)))));

    [Test]
    public void Read_EmptySection_GivesTheDefaults()
    {
        var section = Section();

        var options = RouterOptions.Read(section);

        Assert.That(section.Problems, Is.Empty);
        Assert.That(options.Capacity, Is.EqualTo(1024));
        Assert.That(options.EnqueueTimeout, Is.EqualTo(TimeSpan.FromSeconds(5)));
        Assert.That(options.Fanout, Is.EqualTo(FanoutMode.Parallel));
        Assert.That(options.MaxAttempts, Is.EqualTo(5));
        Assert.That(options.BackoffInitial, Is.EqualTo(TimeSpan.FromMilliseconds(100)));
        Assert.That(options.BackoffMax, Is.EqualTo(TimeSpan.FromSeconds(30)));
        Assert.That(options.DrainTimeout, Is.EqualTo(TimeSpan.FromSeconds(30)));
        Assert.That(options.HistoryLimit, Is.EqualTo(64));
        Assert.That(options.WorkersFor("publish"), Is.EqualTo(1));
    }

    [Test]
    public void Read_EveryKey_IsRead()
    {
        var concurrency = new ConfigTable("core.router.concurrency", [KeyValuePair.Create("publish", new ConfigValue(4L, null))]);
        var section = Section(
            ("capacity", 10L),
            ("enqueue_timeout", "250ms"),
            ("fanout", "ordered"),
            ("max_attempts", 3L),
            ("backoff_initial", "1s"),
            ("backoff_max", "1m"),
            ("drain_timeout", "10s"),
            ("history_limit", 8L),
            ("concurrency", concurrency));

        var options = RouterOptions.Read(section);

        Assert.That(section.Problems, Is.Empty);
        Assert.That(section.FindUnknownKeys(), Is.Empty);
        Assert.That(options.Capacity, Is.EqualTo(10));
        Assert.That(options.EnqueueTimeout, Is.EqualTo(TimeSpan.FromMilliseconds(250)));
        Assert.That(options.Fanout, Is.EqualTo(FanoutMode.Ordered));
        Assert.That(options.MaxAttempts, Is.EqualTo(3));
        Assert.That(options.BackoffInitial, Is.EqualTo(TimeSpan.FromSeconds(1)));
        Assert.That(options.BackoffMax, Is.EqualTo(TimeSpan.FromMinutes(1)));
        Assert.That(options.DrainTimeout, Is.EqualTo(TimeSpan.FromSeconds(10)));
        Assert.That(options.HistoryLimit, Is.EqualTo(8));
        Assert.That(options.WorkersFor("publish"), Is.EqualTo(4));
        Assert.That(options.WorkersFor("enrich"), Is.EqualTo(1));
    }

    [Test]
    public void Read_InvalidValues_BecomeProblemsAndKeepTheDefaults()
    {
        var concurrency = new ConfigTable("core.router.concurrency", [KeyValuePair.Create("publish", new ConfigValue(0L, null))]);
        var section = Section(
            ("capacity", 0L),
            ("fanout", "random"),
            ("max_attempts", "five"),
            ("backoff_initial", "10s"),
            ("backoff_max", "1s"),
            ("history_limit", 1L),
            ("concurrency", concurrency));

        var options = RouterOptions.Read(section);

        var keys = section.Problems.Select(p => p.KeyPath).ToList();
        Assert.That(keys, Is.EquivalentTo(new[]
        {
            "core.router.capacity", "core.router.fanout", "core.router.max_attempts", "core.router.backoff_max",
            "core.router.history_limit", "core.router.concurrency.publish",
        }));
        Assert.That(section.Problems.Single(p => p.KeyPath == "core.router.fanout").Message, Does.Contain("\"parallel\""));
        Assert.That(options.Capacity, Is.EqualTo(1024));
        Assert.That(options.Fanout, Is.EqualTo(FanoutMode.Parallel));
        Assert.That(options.MaxAttempts, Is.EqualTo(5));
        Assert.That(options.BackoffMax, Is.GreaterThanOrEqualTo(options.BackoffInitial));
        Assert.That(options.WorkersFor("publish"), Is.EqualTo(1));
    }
}
