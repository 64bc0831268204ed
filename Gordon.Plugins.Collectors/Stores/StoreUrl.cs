using Gordon.Abstractions.Configuration;
using Gordon.Abstractions.Plugins;

namespace Gordon.Plugins.Collectors.Stores;

/// <summary>
/// The <c>store_url</c> key the collector plugins share (usually set once in <c>[collectors]</c>): the event store the
/// storage plugin writes. Its default is the storage plugin's own default, <c>events.db</c> in the state directory.
/// </summary>
internal static class StoreUrl
{
    public const string Key = "store_url";

    /// <summary>Reads and checks the key; returns the URL with a relative SQLite path made absolute.</summary>
    public static string Read(ConfigSection config, PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(context);
        var fallback = "sqlite:///" + Path.Combine(context.StateDirectory, "events.db");
        var url = config.GetString(Key, fallback);
        if (DatabaseUrl.Parse(url, context.ConfigRoot, out var error) is null)
        {
            config.AddProblem(Key, error!);
            return fallback;
        }

        return DatabaseUrl.Absolute(url, context.ConfigRoot);
    }
}
