using Gordon.Abstractions.Collectors;
using Gordon.Plugins.Collectors.Insights;
using Microsoft.Extensions.Time.Testing;

namespace Gordon.Plugins.Collectors.Tests.Support;

/// <summary>A gatherer over test collectors, with its state in a temporary folder and a fake clock.</summary>
internal sealed class GatherHarness : IDisposable
{
    private readonly TempDirectory _directory = new();

    public GatherHarness(DateTimeOffset? now = null)
    {
        Time = new FakeTimeProvider(now ?? new DateTimeOffset(2024, 3, 10, 12, 0, 0, TimeSpan.Zero));
    }

    public FakeTimeProvider Time { get; }

    public RecordingLogger Logger { get; } = new();

    public string StateDirectory => _directory.Path;

    public string StatePath => _directory.Combine("collectors", "insights-state.json");

    public string LockPath => _directory.Combine("collectors", "insights.lock");

    public string Destination => _directory.Combine("out");

    public string Combine(string name) => _directory.Combine(name);

    public Gatherer Create(IEnumerable<CollectorDescriptor> collectors, IPackageShipper? shipper = null, long maxDataSize = 1000, bool keep = false) =>
        new(
            new GathererOptions { MaxDataSize = maxDataSize, TarballBase = "test", KeepTarballs = keep },
            [.. collectors],
            new GatherStateStore(StatePath),
            new GatherLock(LockPath),
            shipper ?? new RecordingShipper(),
            Time,
            Logger,
            daemon: null);

    /// <summary>A dry run into <see cref="Destination"/>; returns the tarballs' members in build order.</summary>
    public async Task<(GatherResult Result, IReadOnlyList<IReadOnlyList<TarMember>> Tarballs)> DryRunAsync(
        IEnumerable<CollectorDescriptor> collectors,
        DateTimeOffset? since = null,
        DateTimeOffset? until = null,
        IReadOnlyCollection<string>? subset = null)
    {
        var result = await Create(collectors).GatherAsync(new GatherRequest(CollectionMode.DryRun, Destination, since, until, subset), CancellationToken.None);
        var tarballs = new List<IReadOnlyList<TarMember>>();
        foreach (var path in result.Tarballs)
        {
            tarballs.Add(await TarMember.ReadAllAsync(await File.ReadAllBytesAsync(path)));
        }

        return (result, tarballs);
    }

    public void Dispose() => _directory.Dispose();
}
