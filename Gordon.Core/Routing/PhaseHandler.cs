using System.Diagnostics;
using Gordon.Abstractions.Plugins;

namespace Gordon.Core.Routing;

/// <summary>A handler as the router runs it: the registration, its metric tags and its counters.</summary>
internal sealed class PhaseHandler
{
    private long _handled;
    private long _failed;
    private long _retried;

    /// <summary>Creates the runtime state of a handler.</summary>
    /// <param name="registration">The registration.</param>
    public PhaseHandler(HandlerRegistration registration)
    {
        Registration = registration;
        Tags = new TagList { { "plugin", registration.PluginName }, { "phase", registration.Phase } };
    }

    /// <summary>The registration.</summary>
    public HandlerRegistration Registration { get; }

    /// <summary>The plugin name.</summary>
    public string PluginName => Registration.PluginName;

    /// <summary>The phase.</summary>
    public string Phase => Registration.Phase;

    /// <summary>The handler.</summary>
    public IMessageHandler Handler => Registration.Handler;

    /// <summary>The <c>plugin</c> and <c>phase</c> tags, made once rather than per message.</summary>
    // A field, not a property: passed by reference (in) on the hot path instead of copied.
    public readonly TagList Tags;

    /// <summary>Counts a success.</summary>
    public void CountHandled() => Interlocked.Increment(ref _handled);

    /// <summary>Counts a failure for good.</summary>
    public void CountFailed() => Interlocked.Increment(ref _failed);

    /// <summary>Counts a retried attempt.</summary>
    public void CountRetried() => Interlocked.Increment(ref _retried);

    /// <summary>A snapshot of the counters.</summary>
    /// <returns>The stats.</returns>
    public HandlerStats Snapshot() =>
        new(PluginName, Phase, Interlocked.Read(ref _handled), Interlocked.Read(ref _failed), Interlocked.Read(ref _retried));
}
