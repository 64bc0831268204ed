using System.Text.Json;

namespace Gordon.Plugins.Collectors.Interval;

/// <summary>One interval job as a source describes it.</summary>
/// <param name="Id">Unique among all sources.</param>
/// <param name="Intervals">Whole seconds, at least one, distinct, shortest first.</param>
/// <param name="Probe">The probe to run.</param>
/// <param name="Parameters">The probe's parameters (a JSON object).</param>
/// <param name="Start">Aligns the grid to this instant (<c>start + k·interval</c>); null to start when scheduled.</param>
/// <param name="Source">Where it came from: <c>config</c>, <c>jobs_url</c> or <c>grafolean</c>.</param>
internal sealed record JobDefinition(string Id, IReadOnlyList<TimeSpan> Intervals, string Probe, JsonElement Parameters, DateTimeOffset? Start, string Source)
{
    /// <summary>True when both would be scheduled the same way: same probe, intervals, start and parameters.</summary>
    public bool SameAs(JobDefinition other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Probe == other.Probe
            && Start == other.Start
            && Intervals.SequenceEqual(other.Intervals)
            && JsonElement.DeepEquals(Parameters, other.Parameters);
    }

    /// <summary>Whether the job came from a remote source (which may only use the probes allowed for remote jobs).</summary>
    public bool IsRemote => Source != "config";
}
