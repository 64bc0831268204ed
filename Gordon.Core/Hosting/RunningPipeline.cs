using Gordon.Core.Routing;
using Gordon.Core.Spool;

namespace Gordon.Core.Hosting;

/// <summary>A blueprint brought to life: its router and dead-letter store. Filled in once the web app is built.</summary>
internal sealed class RunningPipeline
{
    public required PipelineBlueprint Blueprint { get; init; }

    public required Router Router { get; init; }

    public required DeadLetterStore DeadLetters { get; init; }

    /// <summary>The durable spool and what the last run left in it, when <c>[core.spool] enabled</c>.</summary>
    public (DurableSpool Spool, IReadOnlyList<SpooledMessage> Unfinished)? Spool { get; init; }
}
