using System.Text.Json;

namespace Gordon.Abstractions.Collectors;

/// <summary>
/// A probe the <c>collectors.interval</c> plugin runs for its jobs (<c>probe = "name"</c>): it measures something
/// and returns values, which become one <c>collector.&lt;name&gt;</c> event per sample. Third-party plugins add
/// probes with a class implementing this interface, marked with <see cref="CollectorProbeAttribute"/> and having a
/// public parameterless constructor; one instance serves every job, concurrently. If the class is
/// <see cref="IAsyncDisposable"/> or <see cref="IDisposable"/>, it is disposed when the plugin stops.
/// </summary>
public interface ICollectorProbe
{
    /// <summary>
    /// Checks a job's parameters when the job is (re)loaded, so a job that cannot work is rejected with a reason
    /// instead of failing at every run.
    /// </summary>
    /// <param name="parameters">The job's <c>params</c> (a JSON object).</param>
    /// <returns>What is wrong, naming the parameter, or null when the parameters are usable.</returns>
    string? ValidateParameters(JsonElement parameters) => null;

    /// <summary>Runs one measurement. Throwing counts as a failed run (logged and counted, nothing emitted).</summary>
    /// <param name="invocation">The job, its parameters and which intervals are due.</param>
    /// <param name="cancellationToken">Cancelled at the run timeout or when the daemon stops.</param>
    /// <returns>The samples, each becoming one event; empty for none.</returns>
    Task<IReadOnlyList<ProbeSample>> RunAsync(ProbeInvocation invocation, CancellationToken cancellationToken);
}

/// <summary>Names a probe class for <c>probe = "name"</c> in interval jobs.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class CollectorProbeAttribute : Attribute
{
    /// <summary>Names a probe.</summary>
    /// <param name="name">Lower-case letters, digits, <c>_</c> and <c>-</c>; the events are of type <c>collector.&lt;name&gt;</c>.</param>
    public CollectorProbeAttribute(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    /// <summary>The probe name.</summary>
    public string Name { get; }
}
