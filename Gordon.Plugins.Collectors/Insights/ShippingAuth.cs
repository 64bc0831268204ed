namespace Gordon.Plugins.Collectors.Insights;

/// <summary>How the ingress is authenticated (<c>auth</c>).</summary>
internal enum ShippingAuth
{
    /// <summary>HTTP Basic with <c>username</c> and <c>password</c> (the original's default).</summary>
    UserPass,

    /// <summary>An <c>x-rh-identity</c> header: the base64 of a JSON identity (development and internal ingresses).</summary>
    XRhIdentity,

    /// <summary>A client certificate (<c>client_cert</c>, <c>client_key</c>, PEM).</summary>
    MutualTls,

    /// <summary><c>Authorization: Bearer &lt;bearer_token&gt;</c> (a service-account token, as EDA needed).</summary>
    Bearer,

    /// <summary>No authentication (an ingress on a trusted network).</summary>
    None,
}
