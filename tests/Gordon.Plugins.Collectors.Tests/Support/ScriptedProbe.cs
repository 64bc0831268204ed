using System.Threading.Channels;
using Gordon.Abstractions.Collectors;
using Gordon.Abstractions.Events;

namespace Gordon.Plugins.Collectors.Tests.Support;

/// <summary>A probe that records each invocation and, when told to, holds runs until released.</summary>
internal sealed class ScriptedProbe : ICollectorProbe
{
    private readonly Channel<ProbeInvocation> _invocations = Channel.CreateUnbounded<ProbeInvocation>();
    private TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool Hold { get; set; }

    public Func<ProbeInvocation, IReadOnlyList<ProbeSample>> Samples { get; set; } =
        i => [new ProbeSample([Trait.Float("value", 42.5), Trait.Integer("up", 1)])];

    public void Release()
    {
        var release = _release;
        _release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        release.TrySetResult();
    }

    public async Task<ProbeInvocation> NextAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await _invocations.Reader.ReadAsync(timeout.Token);
    }

    public bool TryNext(out ProbeInvocation? invocation) => _invocations.Reader.TryRead(out invocation);

    public async Task<IReadOnlyList<ProbeSample>> RunAsync(ProbeInvocation invocation, CancellationToken cancellationToken)
    {
        await _invocations.Writer.WriteAsync(invocation, cancellationToken);
        if (Hold)
        {
            await _release.Task.WaitAsync(cancellationToken);
        }

        return Samples(invocation);
    }
}
