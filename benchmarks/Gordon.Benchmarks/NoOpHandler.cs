using Gordon.Abstractions.Messaging;
using Gordon.Abstractions.Plugins;

namespace Gordon.Benchmarks;

/// <summary>A handler that does nothing, so the benchmark measures the router alone.</summary>
internal sealed class NoOpHandler : IMessageHandler
{
    public ValueTask HandleAsync(IEventMessage message, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
