using Gordon.Abstractions.Collectors;
using Gordon.Abstractions.Plugins;
using Microsoft.Extensions.Logging;

namespace Gordon.Plugins.Collectors.Insights;

/// <summary>
/// Runs a gather: checks shipping and the lock, computes the window, runs the config collector, the JSON collectors
/// and the CSV collectors (each slice of a sliced one on its own) in registration-name order, packs and ships the
/// tarballs, and advances the watermarks. A dry run ships and persists nothing and keeps its tarballs; a manual or
/// scheduled gather deletes them unless told to keep them.
/// </summary>
internal sealed partial class Gatherer
{
    private const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private readonly GathererOptions _options;
    private readonly IReadOnlyList<CollectorDescriptor> _collectors;
    private readonly GatherStateStore _state;
    private readonly IGatherLock _lock;
    private readonly IPackageShipper _shipper;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IDaemonInfo? _daemon;

    public Gatherer(
        GathererOptions options,
        IReadOnlyList<CollectorDescriptor> collectors,
        GatherStateStore state,
        IGatherLock gatherLock,
        IPackageShipper shipper,
        TimeProvider time,
        ILogger logger,
        IDaemonInfo? daemon)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _collectors = CollectorDiscovery.Order(collectors ?? throw new ArgumentNullException(nameof(collectors)));
        _state = state ?? throw new ArgumentNullException(nameof(state));
        _lock = gatherLock ?? throw new ArgumentNullException(nameof(gatherLock));
        _shipper = shipper ?? throw new ArgumentNullException(nameof(shipper));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _daemon = daemon;
    }

    public IReadOnlyList<CollectorDescriptor> Collectors => _collectors;

    public GatherStateStore State => _state;

    public async Task<GatherResult> GatherAsync(GatherRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // The original logs refusals quietly for scheduled runs, loudly when a person asked.
        var level = request.Mode == CollectionMode.Scheduled ? LogLevel.Debug : LogLevel.Error;
        if (request.Mode != CollectionMode.DryRun && _shipper.ConfigurationProblem is { } problem)
        {
            Log.Refused(_logger, level, "shipping is not configured: " + problem);
            return GatherResult.Refused(GatherStatus.NotEnabled, "shipping is not configured: " + problem);
        }

        var held = await _lock.TryAcquireAsync(cancellationToken).ConfigureAwait(false);
        if (held is null)
        {
            var message = $"another gather holds the lock ({_lock.Description}): locked, nothing done";
            Log.Refused(_logger, level, message);
            return GatherResult.Refused(GatherStatus.Locked, message);
        }

        await using (held.ConfigureAwait(false))
        {
            return await GatherLockedAsync(request, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<GatherResult> GatherLockedAsync(GatherRequest request, CancellationToken cancellationToken)
    {
        GatherState state;
        try
        {
            state = await _state.LoadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException e)
        {
            Log.Refused(_logger, LogLevel.Error, e.Message);
            return GatherResult.Refused(GatherStatus.StateUnreadable, e.Message);
        }

        var notes = new List<string>();
        var now = _time.GetUtcNow();
        var window = GatherWindow.Calculate(now, request.Since, request.Until, state.LastGather, notes, out var windowError);
        foreach (var note in notes)
        {
            Log.WindowAdjusted(_logger, note);
        }

        if (window is null)
        {
            Log.Refused(_logger, LogLevel.Error, windowError!);
            return GatherResult.Refused(GatherStatus.InvalidWindow, windowError!);
        }

        var selected = request.Subset is { } subset
            ? _collectors.Where(c => subset.Contains(c.Name) || subset.Contains(c.Key)).ToList()
            : [.. _collectors];
        var configs = selected.Where(c => c.IsConfig).ToList();
        if (configs.Count == 0)
        {
            Log.Refused(_logger, LogLevel.Error, "'config' collector data is missing");
            return GatherResult.Refused(GatherStatus.ConfigMissing, "'config' collector data is missing");
        }

        foreach (var extra in configs.Skip(1))
        {
            notes.Add($"more than one config collector: {extra.Name} ({extra.Source}) is ignored, {configs[0].Name} is used");
            Log.WindowAdjusted(_logger, notes[^1]);
        }

        var work = Directory.CreateTempSubdirectory("gordon-collect-").FullName;
        var stage = Path.Combine(work, "stage");
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(stage);
        }
        else
        {
            Directory.CreateDirectory(stage, PrivateDirectory);
        }

        var tarDirectory = request.Destination is { } destination ? Path.GetFullPath(destination) : work;
        Directory.CreateDirectory(tarDirectory);
        var keep = request.Mode == CollectionMode.DryRun || _options.KeepTarballs || request.KeepTarballs;
        var run = new GatherRun(_options, _shipper, _time, _logger, _daemon, request.Mode, stage, tarDirectory, window.Until);
        try
        {
            await run.GatherConfigAsync(configs[0], cancellationToken).ConfigureAwait(false);
            var data = selected.Where(c => !c.IsConfig).ToList();
            foreach (var descriptor in data.Where(c => c.Format == CollectorFormat.Json))
            {
                var since = window.SinceFor(Entry(state, descriptor.Key));
                await run.AddJsonAsync(new Collection(descriptor, since, window.Until, sliced: false, fullSync: false), cancellationToken).ConfigureAwait(false);
            }

            foreach (var descriptor in data.Where(c => c.Format == CollectorFormat.Csv))
            {
                await GatherCsvAsync(run, descriptor, window, state, now, cancellationToken).ConfigureAwait(false);
            }

            await run.ProcessRemainingAsync(cancellationToken).ConfigureAwait(false);
            if (request.Mode != CollectionMode.DryRun)
            {
                var complete = !run.ConfigFailed && run.ShipFailures == 0 && run.Collections.All(c => !c.Failed);
                var lastGather = complete && (state.LastGather is not { } previous || window.Until > previous) ? window.Until : state.LastGather;
                var entries = WatermarkRules.Advance(state.Entries, run.Collections);
                await _state.SaveAsync(new GatherState(lastGather, now, entries), cancellationToken).ConfigureAwait(false);
            }

            var result = new GatherResult
            {
                Status = GatherStatus.Completed,
                Tarballs = run.Tarballs,
                TarballsKept = keep,
                Shipped = run.Shipped,
                ShipFailures = run.ShipFailures,
                FailedCollections = run.Collections.Count(c => c.Failed && !c.Descriptor.IsConfig),
                ConfigFailed = run.ConfigFailed,
                Notes = notes,
                Window = window,
            };
            Log.Finished(_logger, request.Mode, run.Tarballs.Count, run.Shipped, run.ShipFailures, result.FailedCollections);
            return result;
        }
        finally
        {
            Cleanup(work, stage, keep ? [] : run.Tarballs, deleteWork: !keep || request.Destination is not null);
        }
    }

    private async Task GatherCsvAsync(
        GatherRun run,
        CollectorDescriptor descriptor,
        GatherWindow window,
        GatherState state,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var watermark = Entry(state, descriptor.Key);
        if (descriptor.Slicer is not { } slicer)
        {
            var collection = new Collection(descriptor, window.SinceFor(watermark), window.Until, sliced: false, fullSync: false);
            await run.AddCsvAsync(collection, cancellationToken).ConfigureAwait(false);
            return;
        }

        var fullSync = descriptor.FullSyncIntervalDays > 0
            && (!state.Entries.TryGetValue(descriptor.Key + "_full", out var lastFull) || lastFull < now - TimeSpan.FromDays(descriptor.FullSyncIntervalDays));
        var mark = watermark ?? window.LastGather;
        var request = new SliceRequest(descriptor.Key, mark > window.Horizon ? mark : window.Horizon, window.Since, window.Until, window.Horizon, fullSync);
        List<CollectorSlice> slices;
        try
        {
            slices = [.. slicer.Slice(request)];
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            run.AddFailed(new Collection(descriptor, request.Since ?? request.Watermark, window.Until, sliced: true, fullSync), "its slicer failed: " + e.Message);
            return;
        }

        foreach (var slice in slices)
        {
            var collection = new Collection(descriptor, slice.Since, slice.Until, sliced: true, fullSync);
            if (slice.Since >= slice.Until)
            {
                run.AddFailed(collection, "its slicer returned an empty or reversed slice");
                continue;
            }

            await run.AddCsvAsync(collection, cancellationToken).ConfigureAwait(false);
        }
    }

    private static DateTimeOffset? Entry(GatherState state, string key) =>
        state.Entries.TryGetValue(key, out var mark) ? mark : null;

    private void Cleanup(string work, string stage, IReadOnlyList<string> tarballs, bool deleteWork)
    {
        try
        {
            Directory.Delete(stage, recursive: true);
            foreach (var tarball in tarballs)
            {
                File.Delete(tarball);
            }

            if (deleteWork && !Directory.EnumerateFileSystemEntries(work).Any())
            {
                Directory.Delete(work);
            }
        }
        catch (IOException e)
        {
            Log.CleanupFailed(_logger, work, e.Message);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 11110, Message = "Gather not run: {Reason}")]
        public static partial void Refused(ILogger logger, LogLevel level, string reason);

        [LoggerMessage(EventId = 11111, Level = LogLevel.Warning, Message = "Gather window: {Note}")]
        public static partial void WindowAdjusted(ILogger logger, string note);

        [LoggerMessage(EventId = 11112, Level = LogLevel.Information, Message = "Gather ({Mode}) done: {Tarballs} tarballs, {Shipped} shipped, {ShipFailures} not shipped, {FailedCollections} collections failed")]
        public static partial void Finished(ILogger logger, CollectionMode mode, int tarballs, int shipped, int shipFailures, int failedCollections);

        [LoggerMessage(EventId = 11113, Level = LogLevel.Warning, Message = "Could not clean up {Path}: {Error}")]
        public static partial void CleanupFailed(ILogger logger, string path, string error);
    }
}
