using Gordon.Plugins.Collectors.Insights;

namespace Gordon.Plugins.Collectors.Tests.Support;

/// <summary>A shipper that keeps a copy of every tarball it is given and fails the calls a test names.</summary>
internal sealed class RecordingShipper : IPackageShipper
{
    private readonly Func<int, bool> _succeeds;

    public RecordingShipper(Func<int, bool>? succeeds = null, string? problem = null)
    {
        _succeeds = succeeds ?? (_ => true);
        ConfigurationProblem = problem;
    }

    public string? ConfigurationProblem { get; }

    /// <summary>Every tarball offered, in order, with whether it "shipped".</summary>
    public List<(string Name, byte[] Bytes, bool Success)> Calls { get; } = [];

    public IEnumerable<(string Name, byte[] Bytes)> ShippedTarballs => Calls.Where(c => c.Success).Select(c => (c.Name, c.Bytes));

    public async Task<ShipOutcome> ShipAsync(string tarPath, CancellationToken cancellationToken)
    {
        var bytes = await File.ReadAllBytesAsync(tarPath, cancellationToken);
        var success = _succeeds(Calls.Count);
        Calls.Add((Path.GetFileName(tarPath), bytes, success));
        return success ? new ShipOutcome(true, null) : new ShipOutcome(false, "refused by the test");
    }
}
