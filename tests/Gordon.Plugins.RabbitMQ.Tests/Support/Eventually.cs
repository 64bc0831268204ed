namespace Gordon.Plugins.RabbitMQ.Tests.Support;

/// <summary>
/// Waits for a condition that another process (the broker) or a background loop makes true, polling it; the pause
/// between polls only spaces them, the deadline is what fails the test.
/// </summary>
internal static class Eventually
{
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(60);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > limit)
            {
                Assert.Fail($"timed out waiting until {what}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }

    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        UntilAsync(() => Task.FromResult(condition()), what, timeout);
}
