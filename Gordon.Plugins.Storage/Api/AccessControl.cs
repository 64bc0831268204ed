namespace Gordon.Plugins.Storage.Api;

/// <summary>When the <c>/v2</c> API asks for a bearer token.</summary>
internal enum AccessControl
{
    /// <summary>Off while the daemon listens on loopback only, on as soon as it listens beyond it.</summary>
    Auto,

    /// <summary>Always: every request needs a configured token.</summary>
    On,

    /// <summary>Never: every caller is an admin of all tenants (for a daemon behind its own proxy).</summary>
    Off,
}
