namespace Gordon.Abstractions.Plugins;

/// <summary>
/// Marks a plugin class and gives it the name operators use in <c>[core] plugins</c> and as its
/// config table. The class implements <see cref="IRunnable"/>, <see cref="IMessageHandler"/> or both,
/// and has a public constructor taking a <see cref="PluginContext"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class GordonPluginAttribute : Attribute
{
    /// <summary>Marks a plugin class.</summary>
    /// <param name="name">The plugin name: dotted lower-case words, e.g. <c>burrow.poller</c>.</param>
    public GordonPluginAttribute(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    /// <summary>The plugin name.</summary>
    public string Name { get; }

    /// <summary>
    /// The phase a handler serves by default (e.g. <c>publish</c>); operators may override it with the
    /// <c>phase</c> key of the plugin's table. Ignored for plugins that are only runnables.
    /// </summary>
    public string? Phase { get; init; }

    /// <summary>A one-line description shown by <c>gordon plugins</c>.</summary>
    public string? Description { get; init; }
}
