using System.Globalization;
using System.Text;
using Gordon.Abstractions.Collectors;
using Gordon.Abstractions.Plugins;
using Microsoft.Extensions.Logging;

namespace Gordon.Plugins.Collectors.Insights;

/// <summary>
/// One gather's collections and packages: calls collectors, places their files by first fit, builds tarballs and
/// ships them (a sliced collection's package at once, the rest at the end).
/// </summary>
internal sealed partial class GatherRun
{
    private readonly GathererOptions _options;
    private readonly IPackageShipper _shipper;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IDaemonInfo? _daemon;
    private readonly CollectionMode _mode;
    private readonly string _stage;
    private readonly string _tarDirectory;
    private readonly DateTimeOffset _until;
    private readonly List<Package> _packages = [];
    private readonly List<Collection> _collections = [];
    private readonly List<string> _tarballs = [];
    private TarballWriter.ConfigMember? _config;
    private int _nextIndex;

    public GatherRun(
        GathererOptions options,
        IPackageShipper shipper,
        TimeProvider time,
        ILogger logger,
        IDaemonInfo? daemon,
        CollectionMode mode,
        string stage,
        string tarDirectory,
        DateTimeOffset until)
    {
        _options = options;
        _shipper = shipper;
        _time = time;
        _logger = logger;
        _daemon = daemon;
        _mode = mode;
        _stage = stage;
        _tarDirectory = tarDirectory;
        _until = until;
    }

    public IReadOnlyList<Collection> Collections => _collections;

    public IReadOnlyList<Package> Packages => _packages;

    public IReadOnlyList<string> Tarballs => _tarballs;

    public int Shipped { get; private set; }

    public int ShipFailures { get; private set; }

    public bool ConfigFailed { get; private set; }

    /// <summary>Gathers the config collection; its JSON goes into every tarball, uncounted and without a status row.</summary>
    public async Task GatherConfigAsync(CollectorDescriptor descriptor, CancellationToken cancellationToken)
    {
        var collection = new Collection(descriptor, null, null, sliced: false, fullSync: false);
        await CollectAsync(collection, cancellationToken).ConfigureAwait(false);
        if (collection.Failed)
        {
            ConfigFailed = true;
            Log.ConfigFailed(_logger, descriptor.Name, collection.Error!);
            return;
        }

        _config = new TarballWriter.ConfigMember(descriptor.FileName, descriptor.Version, collection.Json!);
    }

    /// <summary>Gathers a JSON collection and places it (a failure is placed too: it gets a <c>failed</c> row).</summary>
    public async Task AddJsonAsync(Collection collection, CancellationToken cancellationToken)
    {
        await CollectAsync(collection, cancellationToken).ConfigureAwait(false);
        var size = collection.Json?.LongLength ?? 0;
        Place(collection, size).Add(new PackageEntry(collection, collection.Json, null, size));
    }

    /// <summary>
    /// Gathers a CSV collection and places each of its files; a sliced collection's package is built and shipped at
    /// once. Empty output adds nothing; a failure adds a <c>failed</c> row.
    /// </summary>
    public async Task AddCsvAsync(Collection collection, CancellationToken cancellationToken)
    {
        await CollectAsync(collection, cancellationToken).ConfigureAwait(false);
        if (collection.Failed)
        {
            Place(collection, 0).Add(new PackageEntry(collection, null, null, 0));
            return;
        }

        foreach (var file in collection.CsvFiles)
        {
            var size = new FileInfo(file).Length;
            var package = Place(collection, size);
            package.Add(new PackageEntry(collection, null, file, size));
            if (collection.Sliced)
            {
                await ProcessAsync(package, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Records a collection that failed before its collector ran (e.g. its slicer threw).</summary>
    public void AddFailed(Collection collection, string error)
    {
        collection.Started = collection.Finished = _time.GetUtcNow();
        collection.Error = error;
        _collections.Add(collection);
        Place(collection, 0).Add(new PackageEntry(collection, null, null, 0));
    }

    /// <summary>Builds and ships every package not yet processed, in the order they were made.</summary>
    public async Task ProcessRemainingAsync(CancellationToken cancellationToken)
    {
        foreach (var package in _packages.Where(p => !p.Processed).ToList())
        {
            await ProcessAsync(package, cancellationToken).ConfigureAwait(false);
        }
    }

    private Package Place(Collection collection, long size)
    {
        var descriptor = collection.Descriptor;
        var package = _packages.FirstOrDefault(p => p.Fits(descriptor.ShippingGroup, descriptor.Key, size, _options.MaxDataSize));
        if (package is null)
        {
            package = new Package(descriptor.ShippingGroup);
            _packages.Add(package);
        }

        return package;
    }

    private async Task CollectAsync(Collection collection, CancellationToken cancellationToken)
    {
        _collections.Add(collection);
        var descriptor = collection.Descriptor;
        var invocation = new CollectorInvocation
        {
            Key = descriptor.Key,
            Since = collection.Since,
            Until = collection.Until,
            FullSync = collection.FullSync,
            MaxDataSize = _options.MaxDataSize,
            StagingDirectory = _stage,
            Mode = _mode,
            StoreUrl = _options.StoreUrl,
            Daemon = _daemon,
            TimeProvider = _time,
            Logger = _logger,
        };
        collection.Started = _time.GetUtcNow();
        try
        {
            var output = await descriptor.Collect(invocation, cancellationToken).ConfigureAwait(false);
            collection.Error = Accept(collection, output);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            collection.Error = e.GetType().Name + ": " + e.Message;
        }

        collection.Finished = _time.GetUtcNow();
        if (collection.Error is { } error)
        {
            Log.CollectionFailed(_logger, descriptor.Name, descriptor.Key, Text(collection.Since), Text(collection.Until), error);
        }
    }

    private static string? Accept(Collection collection, CollectorOutput? output)
    {
        var descriptor = collection.Descriptor;
        if (output is null)
        {
            return "the collector returned null";
        }

        if (output.Format != descriptor.Format)
        {
            return $"the collector returned {output.Format} output but is registered as {descriptor.Format}";
        }

        if (output.Format == CollectorFormat.Json)
        {
            collection.Json = Encoding.UTF8.GetBytes(output.JsonValue?.ToJsonString() ?? "null");
            return null;
        }

        if (output.CsvFiles.FirstOrDefault(f => !File.Exists(f)) is { } missing)
        {
            return $"the collector returned a file that does not exist: {missing}";
        }

        collection.CsvFiles = output.CsvFiles;
        return null;
    }

    private async Task ProcessAsync(Package package, CancellationToken cancellationToken)
    {
        package.Processed = true;
        var path = NextTarPath();
        try
        {
            await TarballWriter.WriteAsync(path, package, _config, _until, cancellationToken).ConfigureAwait(false);
            package.TarPath = path;
            _tarballs.Add(path);
        }
        catch (IOException e)
        {
            ShipFailures++;
            Log.BuildFailed(_logger, path, e.Message);
            TryDelete(path);
            return;
        }
        finally
        {
            // The staged CSV parts are in the tarball now (or lost with it): free the disk at once.
            foreach (var entry in package.Entries.Where(e => e.CsvFile is not null))
            {
                TryDelete(entry.CsvFile!);
            }
        }

        if (_mode == CollectionMode.DryRun)
        {
            return;
        }

        var size = new FileInfo(path).Length;
        if (_options.MaxUploadSize > 0 && size > _options.MaxUploadSize)
        {
            ShipFailures++;
            Log.TooLarge(_logger, Path.GetFileName(path), size, _options.MaxUploadSize);
            return;
        }

        var outcome = await _shipper.ShipAsync(path, cancellationToken).ConfigureAwait(false);
        if (outcome.Success)
        {
            package.Shipped = true;
            Shipped++;
            Log.ShipSucceeded(_logger, Path.GetFileName(path), size);
        }
        else
        {
            ShipFailures++;
            Log.ShipFailed(_logger, Path.GetFileName(path), outcome.Error ?? "unknown error");
        }
    }

    private string NextTarPath()
    {
        var until = _until.UtcDateTime.ToString("yyyy-MM-dd-HHmmss", CultureInfo.InvariantCulture) + "+0000";
        while (true)
        {
            var name = FormattableString.Invariant($"{_options.TarballBase}-{until}-{_nextIndex++}.tar.gz");
            var path = Path.Combine(_tarDirectory, name);
            if (!File.Exists(path))
            {
                return path;
            }
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Left in the stage folder, which is removed at the end of the gather.
        }
    }

    private static string Text(DateTimeOffset? time) =>
        time?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) ?? "-";

    private static partial class Log
    {
        [LoggerMessage(EventId = 11101, Level = LogLevel.Warning, Message = "Collector {Name} ({Key}, {Since} to {Until}) failed: {Error}")]
        public static partial void CollectionFailed(ILogger logger, string name, string key, string since, string until, string error);

        [LoggerMessage(EventId = 11102, Level = LogLevel.Warning, Message = "The config collector {Name} failed, so every tarball of this gather lacks it: {Error}")]
        public static partial void ConfigFailed(ILogger logger, string name, string error);

        [LoggerMessage(EventId = 11103, Level = LogLevel.Error, Message = "Could not build tarball {Path}: {Error}")]
        public static partial void BuildFailed(ILogger logger, string path, string error);

        [LoggerMessage(EventId = 11104, Level = LogLevel.Error, Message = "Tarball {Name} is {Size} bytes, over max_upload_size ({Limit} bytes): not shipped; lower max_data_size")]
        public static partial void TooLarge(ILogger logger, string name, long size, long limit);

        [LoggerMessage(EventId = 11105, Level = LogLevel.Information, Message = "Shipped {Name} ({Size} bytes)")]
        public static partial void ShipSucceeded(ILogger logger, string name, long size);

        [LoggerMessage(EventId = 11106, Level = LogLevel.Error, Message = "Upload of {Name} failed: {Error}")]
        public static partial void ShipFailed(ILogger logger, string name, string error);
    }
}
