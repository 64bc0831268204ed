using Gordon.Abstractions.Configuration;

namespace Gordon.Plugins.Storage.Api;

/// <summary>The <c>[storage.api]</c> table.</summary>
internal sealed record ApiSettings
{
    public int DefaultLimit { get; init; } = 100;

    public int MaxLimit { get; init; } = 10_000;

    public AccessControl AccessControl { get; init; } = AccessControl.Auto;

    public IReadOnlyList<ApiToken> Tokens { get; init; } = [];

    public static ApiSettings Read(ConfigSection storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var api = storage.GetSection("api");
        var defaultLimit = api.GetInt32("default_limit", 100, 1, 1_000_000);
        var maxLimit = api.GetInt32("max_limit", 10_000, 1, 1_000_000);
        if (maxLimit < defaultLimit)
        {
            api.AddProblem("max_limit", $"must be at least default_limit ({defaultLimit}), got {maxLimit}");
            maxLimit = defaultLimit;
        }

        var tokens = new List<ApiToken>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in api.GetSectionList("tokens"))
        {
            var token = entry.RequireString("token");
            var role = entry.RequireString("role");
            var user = entry.GetOptionalString("user_id");
            var project = entry.GetOptionalString("project_id");
            if (token.Length == 0 || role.Length == 0)
            {
                continue;
            }

            if (token.Length < 16)
            {
                entry.AddProblem("token", "must be at least 16 characters (a guessable token protects nothing)");
            }

            if (!seen.Add(token))
            {
                entry.AddProblem("token", "is given to more than one entry; each token must map to one role");
            }

            if (role == "admin")
            {
                tokens.Add(new ApiToken(token, new Caller(true, project, user)));
            }
            else if (role.StartsWith("project:", StringComparison.Ordinal) && role.Length > "project:".Length)
            {
                if (user is not { Length: > 0 })
                {
                    entry.AddProblem("user_id", "is required for a project token (Panko scopes non-admin callers by project_id and user_id)");
                }
                else if (project is not null)
                {
                    entry.AddProblem("project_id", "is only for admin tokens; a project token's project is in its role (\"project:<id>\")");
                }
                else
                {
                    tokens.Add(new ApiToken(token, new Caller(false, role["project:".Length..], user)));
                }
            }
            else
            {
                entry.AddProblem("role", $"expected \"admin\" or \"project:<project id>\", got \"{role}\"");
            }
        }

        return new ApiSettings
        {
            DefaultLimit = defaultLimit,
            MaxLimit = maxLimit,
            AccessControl = api.GetEnum("access_control", AccessControl.Auto),
            Tokens = tokens,
        };
    }
}
