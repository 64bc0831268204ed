using Gordon.Core.Routing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gordon.Core.Tests.Support;

/// <summary>A router over a temporary state directory, with a recording metric relay; disposing drains and deletes.</summary>
internal sealed class RouterHarness : IAsyncDisposable
{
    public static readonly IReadOnlyDictionary<string, string> StandardRoute = new Dictionary<string, string>
    {
        ["consume"] = "enrich",
        ["enrich"] = "publish",
        ["publish"] = "done",
    };

    private RouterHarness(Router router, DeadLetterStore store, RouterRecordingMetricRelay metrics, string directory)
    {
        Router = router;
        DeadLetters = store;
        Metrics = metrics;
        Directory = directory;
    }

    public Router Router { get; }

    public DeadLetterStore DeadLetters { get; }

    public RouterRecordingMetricRelay Metrics { get; }

    public string Directory { get; }

    /// <summary>Backoff zero by default so retry tests need no clock; tests of time pass their own.</summary>
    public static RouterOptions FastOptions { get; } = RouterOptions.Default with
    {
        BackoffInitial = TimeSpan.Zero,
        BackoffMax = TimeSpan.Zero,
        EnqueueTimeout = TimeSpan.FromSeconds(30),
    };

    public static RouterHarness Create(
        IReadOnlyList<HandlerRegistration> handlers,
        RouterOptions? options = null,
        TimeProvider? time = null,
        IReadOnlyDictionary<string, string>? route = null,
        bool start = true)
    {
        var table = RouteTable.Build(route ?? StandardRoute, handlers, out var errors);
        Assert.That(errors, Is.Empty, "the test route must be valid");
        var directory = Path.Combine(Path.GetTempPath(), "gordon-router-tests", Guid.NewGuid().ToString("N"));
        var clock = time ?? TimeProvider.System;
        var store = new DeadLetterStore(directory, clock);
        var metrics = new RouterRecordingMetricRelay();
        var router = new Router(table, options ?? FastOptions, store, metrics, NullLoggerFactory.Instance, clock);
        if (start)
        {
            router.Start();
        }

        return new RouterHarness(router, store, metrics, directory);
    }

    public string DeadLetterPath => Path.Combine(Directory, DeadLetterStore.FileName);

    public string[] DeadLetterLines() =>
        File.Exists(DeadLetterPath) ? File.ReadAllLines(DeadLetterPath).Where(l => l.Length > 0).ToArray() : [];

    public async ValueTask DisposeAsync()
    {
        await Router.DisposeAsync();
        await DeadLetters.DisposeAsync();
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
