using Gordon.Abstractions.Events;

namespace Gordon.Abstractions.Plugins;

/// <summary>
/// A plugin whose events carry an <see cref="EventRecipe"/> naming it: it makes them again from what the durable spool
/// kept, when the daemon replays messages a previous run accepted but did not finish.
/// </summary>
public interface IEventRebuilder
{
    /// <summary>
    /// Makes the event again. It must equal the event the plugin emitted: the same id, type, generation time, traits,
    /// details and raw body, whatever the plugin's configuration is now (put what the parse depended on in the recipe).
    /// </summary>
    /// <param name="recipe">The recipe the emitted event carried.</param>
    /// <param name="messageId">The emitted event's id.</param>
    /// <param name="generated">The emitted event's generation time.</param>
    /// <param name="raw">The emitted event's raw body.</param>
    /// <returns>The event.</returns>
    /// <exception cref="Exception">Any failure: the host logs it and replays the message as its raw body, without traits.</exception>
    Event Rebuild(EventRecipe recipe, string messageId, DateTimeOffset generated, ReadOnlyMemory<byte> raw);
}
