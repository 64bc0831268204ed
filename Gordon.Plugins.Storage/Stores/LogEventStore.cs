using System.Runtime.CompilerServices;
using Gordon.Abstractions.Events;
using Gordon.Plugins.Storage.Model;
using Microsoft.Extensions.Logging;

namespace Gordon.Plugins.Storage.Stores;

/// <summary><c>log://</c>: logs each event and stores nothing (Panko's log driver), for trying out a pipeline.</summary>
internal sealed partial class LogEventStore(ILogger logger) : IEventStore
{
    public string Description => "log://";

    public StorageCapabilities Capabilities => StorageCapabilities.None;

    public Task<SchemaUpgrade> UpgradeAsync(CancellationToken cancellationToken) => Task.FromResult(new SchemaUpgrade(0, 0));

    public Task<IReadOnlyList<RecordResult>> RecordEventsAsync(IReadOnlyList<Event> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        var results = new RecordResult[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            var @event = events[i];
            if (!EventValidator.TryValidate(@event, out _, out var reason))
            {
                results[i] = new RecordResult(@event.MessageId ?? string.Empty, RecordStatus.Invalid, reason);
                continue;
            }

            Log.Dropped(logger, @event.MessageId, @event.EventType, @event.Generated, @event.Traits.Count);
            results[i] = new RecordResult(@event.MessageId, RecordStatus.Recorded);
        }

        return Task.FromResult<IReadOnlyList<RecordResult>>(results);
    }

    public IAsyncEnumerable<Event> GetEventsAsync(EventFilter filter, Pagination pagination, CancellationToken cancellationToken) => Empty<Event>();

    public IAsyncEnumerable<string> GetEventTypesAsync(CancellationToken cancellationToken) => Empty<string>();

    public IAsyncEnumerable<TraitDescription> GetTraitTypesAsync(string eventType, CancellationToken cancellationToken) => Empty<TraitDescription>();

    public IAsyncEnumerable<Trait> GetTraitsAsync(string eventType, string? traitName, CancellationToken cancellationToken) => Empty<Trait>();

    public Task<long> ClearExpiredDataAsync(TimeSpan ttl, long? maxCount, CancellationToken cancellationToken)
    {
        Log.NothingToExpire(logger, ttl, maxCount?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "all");
        return Task.FromResult(0L);
    }

    public Task PingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

#pragma warning disable CS1998 // An empty stream.
    private static async IAsyncEnumerable<T> Empty<T>([EnumeratorCancellation] CancellationToken cancellationToken = default)
#pragma warning restore CS1998
    {
        yield break;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 9020, Level = LogLevel.Information, Message = "log:// store: event {MessageId} ({EventType}, generated {Generated}, {TraitCount} traits) not stored")]
        public static partial void Dropped(ILogger logger, string messageId, string eventType, DateTimeOffset generated, int traitCount);

        [LoggerMessage(EventId = 9021, Level = LogLevel.Information, Message = "log:// store: dropping {MaxCount} events data with TTL {Ttl} (nothing is stored)")]
        public static partial void NothingToExpire(ILogger logger, TimeSpan ttl, string maxCount);
    }
}
