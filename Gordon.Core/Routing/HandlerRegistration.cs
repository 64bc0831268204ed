using Gordon.Abstractions.Plugins;

namespace Gordon.Core.Routing;

/// <summary>An active handler plugin and the phase it serves.</summary>
/// <param name="PluginName">The plugin name, as in <c>[core] plugins</c>.</param>
/// <param name="Phase">The phase the handler serves.</param>
/// <param name="Handler">The handler.</param>
internal sealed record HandlerRegistration(string PluginName, string Phase, IMessageHandler Handler);
