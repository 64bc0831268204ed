namespace Gordon.Plugins.Storage.Api;

/// <summary>An answer other than 200, with Panko's <c>faultstring</c>.</summary>
internal sealed class ApiError(int status, string message) : Exception(message)
{
    public int Status { get; } = status;

    public static ApiError BadRequest(string message) => new(400, message);

    public static ApiError NotFound(string message) => new(404, message);
}
