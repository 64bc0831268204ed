namespace Gordon.Plugins.RabbitMQ.Tests.Support;

/// <summary>
/// The one RabbitMQ node of a test run: started by the first test that asks for it (startup takes seconds, so tests
/// that need no broker never pay for it) and stopped by <see cref="BrokerTeardown"/> when the run ends.
/// </summary>
internal static class SharedBroker
{
    private static readonly Lazy<Task<RabbitMqBroker>> Node = new(() => RabbitMqBroker.StartAsync(), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The running node; a failed start fails every test that asks, with the server's output.</summary>
    /// <returns>The broker.</returns>
    public static Task<RabbitMqBroker> GetAsync() => Node.Value;

    /// <summary>Stops the node if it was started.</summary>
    /// <returns>A task that completes when it is gone.</returns>
    public static async Task StopAsync()
    {
        if (Node.IsValueCreated && Node.Value.IsCompletedSuccessfully)
        {
            await Node.Value.Result.DisposeAsync();
        }
    }
}
