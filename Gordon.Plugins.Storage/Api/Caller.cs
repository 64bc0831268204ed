namespace Gordon.Plugins.Storage.Api;

/// <summary>Who is asking, from the bearer token (Panko's RBAC roles).</summary>
/// <param name="IsAdmin">An admin token.</param>
/// <param name="ProjectId">The token's project (an admin's own project, or a project token's).</param>
/// <param name="UserId">A project token's user.</param>
internal sealed record Caller(bool IsAdmin, string? ProjectId, string? UserId)
{
    /// <summary>The caller when access control is off: an admin of every tenant.</summary>
    public static Caller Unrestricted { get; } = new(true, null, null);
}
