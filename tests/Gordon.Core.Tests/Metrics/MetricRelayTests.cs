using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Gordon.Abstractions.Metrics;
using Gordon.Core.Metrics;
using Microsoft.Extensions.Time.Testing;

namespace Gordon.Core.Tests.Metrics;

public sealed class MetricRelayTests
{
    [Test]
    public void Increment_Set_Record_ReachAListenerOfTheGordonMeter()
    {
        using var relay = new MetricRelay(TimeProvider.System);
        using var listener = Listen(relay, out var measurements, out var published);

        relay.Increment("router-message-done", 2, new TagList { { "phase", "publish" } });
        relay.Increment("router-message-done", 3, default);
        relay.Set("router-queue-depth", 7, default);
        relay.Record("router-handler-duration", 0.25, default);

        Assert.That(relay.Meter.Name, Is.EqualTo("Gordon"));
        Assert.That(measurements, Is.EquivalentTo(new[]
        {
            ("router-message-done", 2.0, "phase=publish"),
            ("router-message-done", 3.0, string.Empty),
            ("router-queue-depth", 7.0, string.Empty),
            ("router-handler-duration", 0.25, string.Empty),
        }));
        Assert.That(published["router-message-done"], Is.InstanceOf<Counter<long>>());
        Assert.That(published["router-queue-depth"], Is.InstanceOf<Gauge<double>>());
        Assert.That(published["router-handler-duration"], Is.InstanceOf<Histogram<double>>());
    }

    [Test]
    public void Instruments_AreCreatedOncePerName()
    {
        using var relay = new MetricRelay(TimeProvider.System);
        using var listener = Listen(relay, out _, out var published);

        ((IMetricRelay)relay).Increment("a");
        ((IMetricRelay)relay).Increment("a");
        ((IMetricRelay)relay).Increment("b");

        Assert.That(published.Keys, Is.EquivalentTo(new[] { "a", "b" }));
    }

    [Test]
    public void Timer_RecordsTheElapsedSecondsOfItsClock_Once()
    {
        var time = new FakeTimeProvider();
        using var relay = new MetricRelay(time);
        using var listener = Listen(relay, out var measurements, out var published);

        var timer = relay.Timer("router-message-flight-duration", default);
        time.Advance(TimeSpan.FromMilliseconds(1500));
        timer.Dispose();
        timer.Dispose();

        Assert.That(measurements, Is.EqualTo(new[] { ("router-message-flight-duration", 1.5, string.Empty) }));
        Assert.That(published["router-message-flight-duration"].Unit, Is.EqualTo("s"));
    }

    [Test]
    public void SameNameAsAnotherKind_Throws()
    {
        using var relay = new MetricRelay(TimeProvider.System);
        ((IMetricRelay)relay).Increment("x");

        Assert.That(() => relay.Set("x", 1, default), Throws.InvalidOperationException.With.Message.Contains("counter"));
    }

    private static MeterListener Listen(
        MetricRelay relay,
        out ConcurrentQueue<(string Name, double Value, string Tags)> measurements,
        out ConcurrentDictionary<string, Instrument> published)
    {
        var seen = new ConcurrentQueue<(string, double, string)>();
        var instruments = new ConcurrentDictionary<string, Instrument>();
        var listener = new MeterListener
        {
            // Only this relay's meter: other tests run in parallel with meters of the same name.
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter, relay.Meter))
                {
                    instruments[instrument.Name] = instrument;
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => seen.Enqueue((i.Name, v, Format(tags))));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => seen.Enqueue((i.Name, v, Format(tags))));
        listener.Start();
        measurements = seen;
        published = instruments;
        return listener;
    }

    private static string Format(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var parts = new List<string>();
        foreach (var tag in tags)
        {
            parts.Add($"{tag.Key}={tag.Value}");
        }

        return string.Join(",", parts);
    }
}
