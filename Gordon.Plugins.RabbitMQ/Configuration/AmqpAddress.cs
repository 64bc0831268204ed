using System.Globalization;
using System.Text;

namespace Gordon.Plugins.RabbitMQ.Configuration;

/// <summary>
/// Where the broker is: an <c>amqp://user:pass@host:port/vhost</c> URL taken apart. The password is a secret:
/// <see cref="ToString"/> and <see cref="Redacted"/> never show it.
/// </summary>
internal sealed record AmqpAddress
{
    /// <summary>The URL used when <c>url</c> is not set: the broker's guest account on this machine.</summary>
    public const string DefaultUrl = "amqp://guest:guest@127.0.0.1:5672/";

    public required string Host { get; init; }

    public required int Port { get; init; }

    public required string VirtualHost { get; init; }

    public required string UserName { get; init; }

    public required string Password { get; init; }

    /// <summary>True for <c>amqps://</c>: TLS to the broker, the server name checked against <see cref="Host"/>.</summary>
    public required bool Tls { get; init; }

    /// <summary>The URL without the password, for logs and health reports.</summary>
    public string Redacted
    {
        get
        {
            var host = Host.Contains(':', StringComparison.Ordinal) ? "[" + Host + "]" : Host;
            var vhost = VirtualHost == "/" ? string.Empty : Uri.EscapeDataString(VirtualHost);
            return string.Create(
                CultureInfo.InvariantCulture,
                $"{(Tls ? "amqps" : "amqp")}://{Uri.EscapeDataString(UserName)}@{host}:{Port}/{vhost}");
        }
    }

    /// <summary>
    /// Parses a URL. The error text never repeats the URL, which may hold a password.
    /// </summary>
    /// <param name="text">The URL.</param>
    /// <param name="address">The address, when valid.</param>
    /// <param name="error">What is wrong, when not.</param>
    /// <returns>Whether the URL is valid.</returns>
    public static bool TryParse(string text, out AmqpAddress? address, out string? error)
    {
        address = null;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri)
            || !(uri.Scheme is "amqp" or "amqps")
            || !text.StartsWith(uri.Scheme + "://", StringComparison.OrdinalIgnoreCase))
        {
            error = "expected an amqp:// or amqps:// URL like \"amqp://user:password@host:5672/vhost\" (the value is not shown: it may hold a password)";
            return false;
        }

        if (uri.IdnHost.Length == 0)
        {
            error = "the URL names no host";
            return false;
        }

        if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            error = "the URL must not have a query or fragment (?…, #…): RabbitMQ settings have their own keys";
            return false;
        }

        var path = uri.AbsolutePath;
        string vhost;
        if (path is "" or "/")
        {
            vhost = "/";
        }
        else if (path.IndexOf('/', 1) >= 0)
        {
            error = "the URL path must be one virtual host (\"/vhost\", or \"/%2f\" for \"/\"), not several segments";
            return false;
        }
        else
        {
            vhost = Uri.UnescapeDataString(path[1..]);
        }

        var userName = "guest";
        var password = "guest";
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            userName = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            password = colon < 0 ? string.Empty : Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }

        var tls = uri.Scheme == "amqps";
        address = new AmqpAddress
        {
            Host = uri.IdnHost,
            Port = uri.IsDefaultPort || uri.Port < 0 ? (tls ? 5671 : 5672) : uri.Port,
            VirtualHost = vhost,
            UserName = userName,
            Password = password,
            Tls = tls,
        };
        error = null;
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Redacted;

    // Records print every property; this one must never print the password.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Url = ").Append(Redacted);
        return true;
    }
}
