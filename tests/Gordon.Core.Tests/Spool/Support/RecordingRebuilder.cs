using Gordon.Abstractions.Events;
using Gordon.Abstractions.Plugins;

namespace Gordon.Core.Tests.Spool.Support;

/// <summary>Rebuilds an event as a plugin would, adding a trait that says so; or fails, when told to.</summary>
internal sealed class RecordingRebuilder(Exception? failure = null) : IEventRebuilder
{
    private readonly List<(EventRecipe Recipe, string MessageId, DateTimeOffset Generated, byte[] Raw)> _calls = [];

    public IReadOnlyList<(EventRecipe Recipe, string MessageId, DateTimeOffset Generated, byte[] Raw)> Calls => [.. _calls];

    public Event Rebuild(EventRecipe recipe, string messageId, DateTimeOffset generated, ReadOnlyMemory<byte> raw)
    {
        _calls.Add((recipe, messageId, generated, raw.ToArray()));
        if (failure is not null)
        {
            throw failure;
        }

        return new Event
        {
            MessageId = messageId,
            EventType = "rebuilt.event",
            Generated = generated,
            Traits = [Trait.String("rebuilt_with", recipe.Argument)],
            Raw = raw,
            Recipe = recipe,
        };
    }
}
