using Gordon.Abstractions.Collectors;
using Gordon.Plugins.Collectors.Stores;

namespace Gordon.Plugins.Collectors.Insights.Builtin;

/// <summary>What the store-reading collectors share: the store from the invocation and a size-splitting CSV writer.</summary>
internal static class StoreCollector
{
    public static EventStoreReader Reader(CollectorInvocation invocation)
    {
        var text = invocation.StoreUrl ?? throw new InvalidOperationException("no event store is configured (store_url)");
        var url = DatabaseUrl.Parse(text, Directory.GetCurrentDirectory(), out var error)
            ?? throw new InvalidOperationException($"store_url: {error}");
        return new EventStoreReader(url);
    }

    public static (DateTimeOffset Since, DateTimeOffset Until) Window(CollectorInvocation invocation) =>
        (invocation.Since ?? throw new InvalidOperationException("a window is required"), invocation.Until ?? throw new InvalidOperationException("a window is required"));

    public static CsvFileSplitter Splitter(CollectorInvocation invocation, DateTimeOffset since) =>
        new(Path.Combine(invocation.StagingDirectory, $"{invocation.Key}-{since.UtcTicks}.csv"), invocation.MaxDataSize);
}
