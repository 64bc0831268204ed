using System.Text.Json;
using Gordon.Abstractions.Events;
using Microsoft.Extensions.Logging;

namespace Gordon.Abstractions.Collectors;

/// <summary>One run of an interval job.</summary>
public sealed class ProbeInvocation
{
    /// <summary>The job id.</summary>
    public required string JobId { get; init; }

    /// <summary>The job's <c>params</c> (a JSON object; empty when none were given).</summary>
    public required JsonElement Parameters { get; init; }

    /// <summary>
    /// The job's intervals that are due in this run, shortest first: a job with intervals 20 s and 30 s is told
    /// [20 s] at +20 s, [30 s] at +30 s and [20 s, 30 s] at +60 s.
    /// </summary>
    public required IReadOnlyList<TimeSpan> AffectingIntervals { get; init; }

    /// <summary>The grid time this run was due at (UTC).</summary>
    public required DateTimeOffset ScheduledTime { get; init; }

    /// <summary>The clock (measure latencies with <see cref="TimeProvider.GetTimestamp"/>).</summary>
    public required TimeProvider TimeProvider { get; init; }

    /// <summary>A logger for the probe.</summary>
    public required ILogger Logger { get; init; }
}

/// <summary>One sample of a probe run: the values of one event.</summary>
/// <param name="Values">The values, each a trait of the event (numbers are what the grafolean handler sends).</param>
public sealed record ProbeSample(IReadOnlyList<Trait> Values);
