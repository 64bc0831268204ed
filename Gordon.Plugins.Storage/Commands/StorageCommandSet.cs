using System.Data.Common;
using System.Globalization;
using Gordon.Abstractions.Commands;
using Gordon.Abstractions.Configuration;
using Gordon.Plugins.Storage.Model;
using Gordon.Plugins.Storage.Stores;

namespace Gordon.Plugins.Storage.Commands;

/// <summary><c>gordon storage upgrade</c> and <c>gordon storage expire</c>: maintenance of the configured store.</summary>
internal sealed class StorageCommandSet(StoragePlugin plugin)
{
    public IReadOnlyList<PluginCommand> Build() =>
    [
        new PluginCommand
        {
            Name = "storage",
            Description = "Maintain the event store named by [storage] url.",
            Subcommands =
            [
                new PluginCommand
                {
                    Name = "upgrade",
                    Description = "Apply the pending schema migrations (the daemon also does at start).",
                    Run = UpgradeAsync,
                },
                new PluginCommand
                {
                    Name = "expire",
                    Description = "Delete the events older than --ttl, their traits, and event types left without events.",
                    Options =
                    [
                        new PluginCommandOption("--ttl", "Age beyond which events are deleted, e.g. 30d, 12h.", Required: true),
                        new PluginCommandOption("--max-count", "Delete at most this many events."),
                    ],
                    Run = ExpireAsync,
                },
            ],
        },
    ];

    internal async Task<int> UpgradeAsync(PluginCommandInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        return await WithStoreAsync(invocation, async store =>
        {
            var upgrade = await store.UpgradeAsync(cancellationToken).ConfigureAwait(false);
            await invocation.Output.WriteLineAsync(upgrade.From == upgrade.To
                ? string.Create(CultureInfo.InvariantCulture, $"{store.Description}: schema version {upgrade.To}, up to date")
                : string.Create(CultureInfo.InvariantCulture, $"{store.Description}: schema upgraded from version {upgrade.From} to {upgrade.To}")).ConfigureAwait(false);
            return ExitCodes.Ok;
        }).ConfigureAwait(false);
    }

    internal async Task<int> ExpireAsync(PluginCommandInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var ttlText = invocation.GetOption("--ttl");
        if (ttlText is null || ConfigParsers.ParseDuration(ttlText) is not { } ttl || ttl <= TimeSpan.Zero)
        {
            await invocation.Error.WriteLineAsync($"gordon storage expire: --ttl must be a duration such as 30d, 12h or 90m, got '{ttlText}'").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        long? maxCount = null;
        if (invocation.GetOption("--max-count") is { } maxText)
        {
            if (!long.TryParse(maxText, NumberStyles.None, CultureInfo.InvariantCulture, out var max) || max <= 0)
            {
                await invocation.Error.WriteLineAsync($"gordon storage expire: --max-count must be a positive integer, got '{maxText}'").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            maxCount = max;
        }

        return await WithStoreAsync(invocation, async store =>
        {
            await store.UpgradeAsync(cancellationToken).ConfigureAwait(false);
            var deleted = await store.ClearExpiredDataAsync(ttl, maxCount, cancellationToken).ConfigureAwait(false);
            await invocation.Output.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"{store.Description}: {deleted} events older than {ConfigParsers.FormatDuration(ttl)} removed")).ConfigureAwait(false);
            return ExitCodes.Ok;
        }).ConfigureAwait(false);
    }

    /// <summary>Opens the configured store, runs the action, and turns store failures into one line and an exit code.</summary>
    internal async Task<int> WithStoreAsync(PluginCommandInvocation invocation, Func<IEventStore, Task<int>> action)
    {
        plugin.Context.Config.ThrowIfInvalid();
        var store = plugin.CreateStore();
        await using (store.ConfigureAwait(false))
        {
            try
            {
                return await action(store).ConfigureAwait(false);
            }
            catch (SchemaVersionException e)
            {
                await invocation.Error.WriteLineAsync("gordon: " + e.Message).ConfigureAwait(false);
                return ExitCodes.Failure;
            }
            catch (InvalidMarkerException e)
            {
                await invocation.Error.WriteLineAsync("gordon: " + e.Message).ConfigureAwait(false);
                return ExitCodes.Usage;
            }
            catch (DbException e)
            {
                await invocation.Error.WriteLineAsync($"gordon: the store {store.Description} failed: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Unavailable;
            }
        }
    }
}
