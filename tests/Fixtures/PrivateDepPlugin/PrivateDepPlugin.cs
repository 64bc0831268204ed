using Gordon.Abstractions.Events;
using Gordon.Abstractions.Plugins;
using Gordon.Fixtures.Shared;

namespace Gordon.Fixtures.PrivateDepPlugin;

/// <summary>Emits the version of Gordon.Fixtures.Shared it sees: its private v1, not the host's v2.</summary>
[GordonPlugin("privatedep", Description = "Fixture: ships its own Gordon.Fixtures.Shared v1")]
public sealed class PrivateDepPlugin : IRunnable
{
    private readonly PluginContext _context;

    public PrivateDepPlugin(PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
    }

    public static Version? SharedAssemblyVersion => typeof(SharedInfo).Assembly.GetName().Version;

    public Task RunAsync(CancellationToken cancellationToken) =>
        _context.Sink.EmitAsync(
            new Event
            {
                MessageId = "privatedep-1",
                EventType = "privatedep.version",
                Generated = _context.TimeProvider.GetUtcNow(),
                Traits = [Trait.String("shared_version", SharedInfo.Version)],
            },
            cancellationToken).AsTask();
}
