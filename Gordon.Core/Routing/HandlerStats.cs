namespace Gordon.Core.Routing;

/// <summary>A snapshot of one handler's counters, for the host's <c>/plugins</c> endpoint.</summary>
/// <param name="PluginName">The plugin name.</param>
/// <param name="Phase">The phase it serves.</param>
/// <param name="Handled">Messages it handled successfully.</param>
/// <param name="Failed">Messages it failed for good (retries spent or a permanent failure).</param>
/// <param name="Retried">Attempts that failed and were retried.</param>
internal sealed record HandlerStats(string PluginName, string Phase, long Handled, long Failed, long Retried);
