namespace Gordon.Plugins.Collectors.Interval.Sources;

/// <summary>A remote place jobs come from, read again at every refresh.</summary>
internal interface IJobSource
{
    /// <summary>The source's name in logs and in each job's <see cref="JobDefinition.Source"/>.</summary>
    string Name { get; }

    /// <summary>Reads the jobs. Throws when the source cannot be read at all (then nothing of it changes).</summary>
    Task<JobSourceResult> FetchAsync(CancellationToken cancellationToken);
}

/// <summary>What a source gave: usable jobs, and jobs rejected with a reason.</summary>
/// <param name="Jobs">The usable jobs.</param>
/// <param name="Rejected">Each rejected job's id (or its position) and why.</param>
internal sealed record JobSourceResult(IReadOnlyList<JobDefinition> Jobs, IReadOnlyList<(string Id, string Reason)> Rejected);
