namespace Gordon.Abstractions.Plugins;

// The few contract types FutureContractPlugin needs, shaped as a breaking contract 2 might be.
// Several types in one file on purpose: this is a stub of another assembly, not product code.
#pragma warning disable SA1402, SA1649, CA1711

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class GordonPluginAttribute(string name) : Attribute
{
    public string Name { get; } = name;

    public string? Phase { get; init; }
}

public sealed class PluginContext
{
    public required string Name { get; init; }
}

public interface IRunnable
{
    Task RunAsync(PluginContext context, CancellationToken cancellationToken);
}
