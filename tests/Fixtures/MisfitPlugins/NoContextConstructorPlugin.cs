using Gordon.Abstractions.Plugins;

namespace Gordon.Fixtures.MisfitPlugins;

/// <summary>Only a parameterless constructor: the host has no way to hand it a PluginContext.</summary>
[GordonPlugin("noctor")]
public sealed class NoContextConstructorPlugin : IRunnable
{
    public Task RunAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
