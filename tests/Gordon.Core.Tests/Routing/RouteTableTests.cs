using Gordon.Core.Routing;
using Gordon.Core.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gordon.Core.Tests.Routing;

public sealed class RouteTableTests
{
    private static HandlerRegistration Handler(string plugin, string phase) => new(plugin, phase, new RouterTestHandler());

    [Test]
    public void Build_StandardPhasesWithoutHandlers_PassThrough()
    {
        var table = RouteTable.Build(RouterHarness.StandardRoute, [], out var errors);

        Assert.That(errors, Is.Empty);
        Assert.That(table.FirstPhase, Is.EqualTo("consume"));
        Assert.That(table.Phases, Is.EqualTo(new[] { "consume", "enrich", "publish" }));
        Assert.That(table.HandlersOf("enrich"), Is.Empty);
        Assert.That(table.Describe(), Does.Contain("enrich").And.Contain("pass-through"));
    }

    [Test]
    public void Build_CustomPhaseWithoutHandler_IsAnError()
    {
        var route = new Dictionary<string, string> { ["consume"] = "geo", ["geo"] = "done" };

        var table = RouteTable.Build(route, [], out var errors);

        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0], Does.Contain("custom phase 'geo'"));
        Assert.That(table.IsValid, Is.False);
    }

    [Test]
    public void Build_CustomPhaseWithHandler_IsValid()
    {
        var route = new Dictionary<string, string> { ["consume"] = "geo", ["geo"] = "done" };

        RouteTable.Build(route, [Handler("geoip", "geo")], out var errors);

        Assert.That(errors, Is.Empty);
    }

    [Test]
    public void Build_Cycle_IsAnError()
    {
        var route = new Dictionary<string, string> { ["consume"] = "enrich", ["enrich"] = "publish", ["publish"] = "enrich" };

        RouteTable.Build(route, [], out var errors);

        Assert.That(errors, Has.One.Contains("cycle").And.Contains("enrich -> publish -> enrich"));
    }

    [Test]
    public void Build_PathThatNeverReachesDone_IsAnError()
    {
        var route = new Dictionary<string, string> { ["consume"] = "consume" };

        RouteTable.Build(route, [], out var errors);

        Assert.That(errors, Has.Some.Contains("never reach 'done'"));
    }

    [Test]
    public void Build_UnknownNextPhase_IsAnError()
    {
        var route = new Dictionary<string, string> { ["consume"] = "enrichh", ["enrich"] = "done" };

        RouteTable.Build(route, [], out var errors);

        Assert.That(errors, Has.Some.Contains("'consume' routes to 'enrichh'"));
    }

    [Test]
    public void Build_HandlerOfPhaseOffTheRoute_IsAnError()
    {
        RouteTable.Build(RouterHarness.StandardRoute, [Handler("janitor", "cleanup")], out var errors);

        Assert.That(errors, Has.One.Contains("plugin 'janitor' handles phase 'cleanup'"));
    }

    [Test]
    public void Build_HandlerOfAPhaseNoMessageReaches_IsAnError()
    {
        var route = new Dictionary<string, string> { ["consume"] = "publish", ["enrich"] = "publish", ["publish"] = "done" };

        var table = RouteTable.Build(route, [Handler("geo", "enrich")], out var errors);

        Assert.That(errors, Has.One.Contains("plugin 'geo' handles phase 'enrich', which no message reaches from 'consume'"));
        Assert.That(table.UnreachablePhases, Is.EqualTo(new[] { "enrich" }));
    }

    [Test]
    public void Build_EmptyRoute_IsAnError()
    {
        RouteTable.Build(new Dictionary<string, string>(), [], out var errors);

        Assert.That(errors, Is.Not.Empty);
    }

    [Test]
    public void Build_RouteWithoutConsume_StartsAtItsOnlyRoot()
    {
        var route = new Dictionary<string, string> { ["publish"] = "done", ["ingest"] = "publish" };

        var table = RouteTable.Build(route, [Handler("reader", "ingest")], out var errors);

        Assert.That(errors, Is.Empty);
        Assert.That(table.FirstPhase, Is.EqualTo("ingest"));
        Assert.That(table.Phases, Is.EqualTo(new[] { "ingest", "publish" }));
    }

    [Test]
    public void Describe_ListsThePathAndTheHandlersInOrder()
    {
        var table = RouteTable.Build(
            RouterHarness.StandardRoute,
            [Handler("prometheus", "publish"), Handler("storage", "publish")],
            out _);

        var text = table.Describe();

        Assert.That(text, Does.StartWith("route: consume -> enrich -> publish -> done"));
        Assert.That(text, Does.Contain("prometheus, storage"));
    }

    [Test]
    public void Router_InvalidRoute_IsRefused()
    {
        var table = RouteTable.Build(new Dictionary<string, string> { ["consume"] = "nowhere" }, [], out _);
        var store = new DeadLetterStore(Path.GetTempPath(), TimeProvider.System);

        Assert.That(
            () => new Router(table, RouterOptions.Default, store, new RouterRecordingMetricRelay(), NullLoggerFactory.Instance, TimeProvider.System),
            Throws.ArgumentException.With.Message.Contains("nowhere"));
    }
}
