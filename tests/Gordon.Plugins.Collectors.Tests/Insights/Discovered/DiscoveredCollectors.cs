using System.Text.Json.Nodes;
using Gordon.Abstractions.Collectors;
using Gordon.Abstractions.Events;

namespace Gordon.Plugins.Collectors.Tests.Insights.Discovered;

// Public on purpose: discovery reads a plugin assembly's exported types, and these stand for a third party's.

/// <summary>A third-party collector written as a class.</summary>
[Collector("third_party", "2.1", Description = "a class collector")]
public sealed class ThirdPartyCollector : ICollector
{
    public Task<CollectorOutput> CollectAsync(CollectorInvocation invocation, CancellationToken cancellationToken) =>
        Task.FromResult(CollectorOutput.Json(new JsonObject { ["since"] = invocation.Since?.ToString("O") }));
}

/// <summary>Third-party collectors written as static methods, and ones that do not fit.</summary>
public static class ThirdPartyMethods
{
    [Collector("method_csv", "1.0", Format = CollectorFormat.Csv, Slicing = CollectorSlicing.Hourly, ShippingGroup = "hourly", FullSyncIntervalDays = 7)]
    public static Task<CollectorOutput> HourlyTable(CollectorInvocation invocation, CancellationToken cancellationToken) =>
        Task.FromResult(CollectorOutput.Csv([]));

    [Collector("custom_sliced", "1.0", Format = CollectorFormat.Csv, SlicerType = typeof(TwoSlices))]
    public static Task<CollectorOutput> CustomSliced(CollectorInvocation invocation, CancellationToken cancellationToken) =>
        Task.FromResult(CollectorOutput.Csv([]));

    [Collector("wrong_signature", "1.0")]
    public static CollectorOutput WrongSignature(CollectorInvocation invocation) => CollectorOutput.Json(null);

    [Collector("bad key!", "1.0")]
    public static Task<CollectorOutput> BadKey(CollectorInvocation invocation, CancellationToken cancellationToken) =>
        Task.FromResult(CollectorOutput.Json(null));

    [Collector("sliced_json", "1.0", Slicing = CollectorSlicing.Daily)]
    public static Task<CollectorOutput> SlicedJson(CollectorInvocation invocation, CancellationToken cancellationToken) =>
        Task.FromResult(CollectorOutput.Json(null));

    [Collector("manifest", "1.0")]
    public static Task<CollectorOutput> Reserved(CollectorInvocation invocation, CancellationToken cancellationToken) =>
        Task.FromResult(CollectorOutput.Json(null));
}

/// <summary>A custom slicer: two fixed halves of the window.</summary>
public sealed class TwoSlices : ICollectorSlicer
{
    public IEnumerable<CollectorSlice> Slice(SliceRequest request)
    {
        var start = request.Since ?? request.Watermark;
        var middle = start + ((request.Until - start) / 2);
        return [new CollectorSlice(start, middle), new CollectorSlice(middle, request.Until)];
    }
}

/// <summary>A [Collector] class that is not an ICollector.</summary>
[Collector("not_a_collector", "1.0")]
public sealed class NotACollector;

/// <summary>A third-party probe.</summary>
[CollectorProbe("constant")]
public sealed class ConstantProbe : ICollectorProbe
{
    public Task<IReadOnlyList<ProbeSample>> RunAsync(ProbeInvocation invocation, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ProbeSample>>([new ProbeSample([Trait.Integer("answer", 42)])]);
}

/// <summary>A probe whose name clashes with a built-in one.</summary>
[CollectorProbe("http")]
public sealed class ClashingProbe : ICollectorProbe
{
    public Task<IReadOnlyList<ProbeSample>> RunAsync(ProbeInvocation invocation, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ProbeSample>>([]);
}
