using System.Collections.Frozen;
using Gordon.Abstractions.Events;
using Gordon.Abstractions.Plugins;
using Gordon.Core.Plugins;
using Microsoft.Extensions.Logging;

namespace Gordon.Core.Spool;

/// <summary>
/// The loaded plugins that rebuild their events (<see cref="IEventRebuilder"/>), by name: the spool keeps an event
/// with a recipe for one of them as its body alone, and asks it for the event at replay.
/// </summary>
internal sealed partial class SpoolRebuilders
{
    private readonly FrozenDictionary<string, IEventRebuilder> _byPlugin;

    /// <summary>Creates the set.</summary>
    /// <param name="byPlugin">The rebuilders, by plugin name.</param>
    public SpoolRebuilders(IReadOnlyDictionary<string, IEventRebuilder> byPlugin) =>
        _byPlugin = byPlugin.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The rebuilders among the daemon's plugins.</summary>
    public static SpoolRebuilders Of(IEnumerable<ActivePlugin> plugins) =>
        new(plugins.Where(p => p.Rebuilder is not null).ToDictionary(p => p.Name, p => p.Rebuilder!, StringComparer.Ordinal));

    /// <summary>No plugin rebuilds: every event is kept whole.</summary>
    public static SpoolRebuilders None { get; } = new(new Dictionary<string, IEventRebuilder>());

    /// <summary>The event's recipe when its plugin is loaded to rebuild it; null when the spool must keep the whole event.</summary>
    public EventRecipe? RecipeOf(Event @event) =>
        @event.Recipe is { } recipe && _byPlugin.ContainsKey(recipe.Plugin) ? recipe : null;

    /// <summary>
    /// The event again, from its plugin; when the plugin is gone or fails, the message is replayed as its body without
    /// traits (and the loss of the traits is logged), so what a source was told is accepted still reaches the store.
    /// </summary>
    public Event Rebuild(SpooledRecipe kept, long sequence, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(kept);
        if (!_byPlugin.TryGetValue(kept.Recipe.Plugin, out var rebuilder))
        {
            Log.NoRebuilder(logger, sequence, kept.MessageId, kept.Recipe.Plugin);
            return kept.WithoutTraits();
        }

        try
        {
            return rebuilder.Rebuild(kept.Recipe, kept.MessageId, kept.Generated, kept.Raw);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Plugin code: whatever it throws must not stop the replay of the rest.
            Log.RebuildFailed(logger, sequence, kept.MessageId, kept.Recipe.Plugin, e);
            return kept.WithoutTraits();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1506, Level = LogLevel.Warning, Message = "Spool: message {Sequence} ({MessageId}) was made by plugin '{Plugin}', which is not loaded to rebuild it: replayed as its raw body, without traits")]
        public static partial void NoRebuilder(ILogger logger, long sequence, string messageId, string plugin);

        [LoggerMessage(EventId = 1507, Level = LogLevel.Error, Message = "Spool: plugin '{Plugin}' could not rebuild message {Sequence} ({MessageId}): replayed as its raw body, without traits")]
        public static partial void RebuildFailed(ILogger logger, long sequence, string messageId, string plugin, Exception exception);
    }
}
