using Gordon.Core.Configuration;
using Gordon.Core.Plugins;
using Gordon.Core.Routing;
using Gordon.Core.Spool;

namespace Gordon.Core.Hosting;

/// <summary>
/// Everything a configuration resolves to before anything runs: the plugins found and constructed,
/// the router settings, the route, and every problem found on the way. <c>gordon validate</c> prints
/// it; <c>gordon run</c> and a SIGHUP reload start it only when it has no errors.
/// </summary>
internal sealed class PipelineBlueprint : IDisposable
{
    public required LoadedConfig Config { get; init; }

    public required PluginCatalog Catalog { get; init; }

    public required IReadOnlyList<ActivePlugin> Plugins { get; init; }

    public required RouterOptions RouterOptions { get; init; }

    public required SpoolOptions SpoolOptions { get; init; }

    public required RouteTable? Route { get; init; }

    public required DeferredEventSink Sink { get; init; }

    /// <summary>What the plugins were told about the daemon; the host attaches the live status to it.</summary>
    public required DaemonInfo DaemonInfo { get; init; }

    public required bool Strict { get; init; }

    public required IReadOnlyList<string> Errors { get; init; }

    public required IReadOnlyList<string> Warnings { get; init; }

    public bool IsValid => Errors.Count == 0 && Route is not null;

    public void Dispose() => Catalog.Dispose();
}
