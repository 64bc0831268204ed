using Gordon.Core.Routing;

namespace Gordon.Core.Hosting;

/// <summary>A blueprint brought to life: its router and dead-letter store. Filled in once the web app is built.</summary>
internal sealed class RunningPipeline
{
    public required PipelineBlueprint Blueprint { get; init; }

    public required Router Router { get; init; }

    public required DeadLetterStore DeadLetters { get; init; }
}
