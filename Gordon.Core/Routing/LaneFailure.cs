namespace Gordon.Core.Routing;

/// <summary>The first handler of a parallel phase that failed on a message for good.</summary>
/// <param name="Error">Its last error.</param>
/// <param name="PluginName">Its plugin.</param>
internal sealed record LaneFailure(Exception Error, string PluginName);
