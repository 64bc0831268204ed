namespace Gordon.Plugins.Collectors.Insights;

/// <summary>Sends a built tarball to the analytics ingress.</summary>
internal interface IPackageShipper
{
    /// <summary>What keeps shipping from working (e.g. <c>ingress_url is not set</c>), or null when it can ship.</summary>
    string? ConfigurationProblem { get; }

    /// <summary>Ships one tarball; never throws for a failed upload (only for cancellation).</summary>
    Task<ShipOutcome> ShipAsync(string tarPath, CancellationToken cancellationToken);
}

/// <summary>The result of shipping one tarball.</summary>
/// <param name="Success">True for any 2xx answer.</param>
/// <param name="Error">What went wrong, for a failure.</param>
internal readonly record struct ShipOutcome(bool Success, string? Error);
