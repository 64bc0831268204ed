namespace Gordon.Plugins.Burrow.Webhook;

/// <summary>
/// The argument of a webhook event's <see cref="Gordon.Abstractions.Events.EventRecipe"/>: what the parse of its body
/// depended on besides the body, so a rebuild after a restart parses it as the request did even if the config changed.
/// Written <c>post</c> or <c>delete</c>, then a space and the default cluster when one was configured.
/// </summary>
internal static class WebhookRecipe
{
    private const string Post = "post";
    private const string Delete = "delete";

    public static string Argument(bool isDelete, string? defaultCluster)
    {
        var method = isDelete ? Delete : Post;
        return defaultCluster is null ? method : method + " " + defaultCluster;
    }

    /// <exception cref="FormatException">Not an argument <see cref="Argument"/> wrote.</exception>
    public static (bool IsDelete, string? DefaultCluster) Parse(string argument)
    {
        ArgumentNullException.ThrowIfNull(argument);
        var space = argument.IndexOf(' ', StringComparison.Ordinal);
        var method = space < 0 ? argument : argument[..space];
        var cluster = space < 0 ? null : argument[(space + 1)..];
        return method switch
        {
            Post => (false, cluster),
            Delete => (true, cluster),
            _ => throw new FormatException($"'{argument}' is not a webhook recipe (post or delete, then the default cluster)"),
        };
    }
}
