using Microsoft.AspNetCore.Routing;

namespace Gordon.Abstractions.Plugins;

/// <summary>
/// Implemented by a plugin that serves HTTP routes (e.g. <c>/burrow</c>, <c>/metrics</c>) on the
/// daemon's one HTTP server.
/// </summary>
public interface IHttpEndpoints
{
    /// <summary>Maps the plugin's routes. Called once, after the plugin is constructed and before it starts.</summary>
    /// <param name="endpoints">The server's route builder.</param>
    void MapEndpoints(IEndpointRouteBuilder endpoints);
}
