using Gordon.Abstractions.Plugins;

namespace Gordon.Fixtures.FutureContractPlugin;

/// <summary>A plugin for contract 2: the host must refuse it before loading any of its types.</summary>
[GordonPlugin("future", Phase = "publish")]
public sealed class FuturePlugin : IRunnable
{
    public FuturePlugin(PluginContext context) => ArgumentNullException.ThrowIfNull(context);

    public Task RunAsync(PluginContext context, CancellationToken cancellationToken) => Task.CompletedTask;
}
