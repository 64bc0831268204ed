using Prometheus;

namespace Gordon.Plugins.Prometheus.Daemon;

/// <summary>
/// One Prometheus family fed by one or more instruments of the same name and kind (an instrument re-created after a
/// reload feeds the family its predecessor fed). The family is made at the first measurement, when the tag keys are
/// known: its labels are the keys the instrument is known to use plus those of the first measurement; a tag outside
/// them is dropped, one missing is exported empty.
/// </summary>
internal abstract class InstrumentExport
{
    private readonly string[] _knownKeys;
    private readonly int _limit;
    private readonly IExportProblems _problems;
    private readonly Lock _initLock = new();
    private bool _failed;

    /// <summary>Creates the export.</summary>
    /// <param name="name">The metric name.</param>
    /// <param name="help">The help text.</param>
    /// <param name="knownKeys">Tag keys the instrument is known to use, in label order.</param>
    /// <param name="scale">Multiplies every measurement (milliseconds to seconds).</param>
    /// <param name="limit">The most label sets.</param>
    /// <param name="problems">Told of measurements over the limit and of a family that cannot be made.</param>
    protected InstrumentExport(string name, string help, string[] knownKeys, double scale, int limit, IExportProblems problems)
    {
        Name = name;
        Help = help;
        _knownKeys = knownKeys;
        Scale = scale;
        _limit = limit;
        _problems = problems;
    }

    /// <summary>The metric name.</summary>
    public string Name { get; }

    /// <summary>The help text.</summary>
    public string Help { get; }

    /// <summary>What a measurement is multiplied by.</summary>
    protected double Scale { get; }

    /// <summary>Records one measurement.</summary>
    /// <param name="value">The measurement.</param>
    /// <param name="tags">Its tags.</param>
    public abstract void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags);

    /// <summary>Builds the family for the given label names.</summary>
    /// <param name="factory">The registry's factory.</param>
    /// <param name="labelNames">The label names.</param>
    /// <returns>A function from label values to the child.</returns>
    protected abstract Func<string[], object> CreateFamily(IMetricFactory factory, string[] labelNames);

    /// <summary>The child for the tags: null when over the limit or when the family failed.</summary>
    /// <typeparam name="TChild">The child type.</typeparam>
    /// <param name="cache">The cache field of the subclass.</param>
    /// <param name="factory">The registry's factory.</param>
    /// <param name="tags">The tags.</param>
    /// <returns>The child.</returns>
    protected TChild? Child<TChild>(ref ChildCache<TChild>? cache, IMetricFactory factory, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        where TChild : class
    {
        var current = Volatile.Read(ref cache);
        if (current is null)
        {
            lock (_initLock)
            {
                if (_failed)
                {
                    return null;
                }

                current = cache ??= CreateCache<TChild>(factory, tags);
                if (current is null)
                {
                    return null;
                }
            }
        }

        var child = current.Get(tags);
        if (child is null)
        {
            _problems.Refused();
        }

        return child;
    }

    private ChildCache<TChild>? CreateCache<TChild>(IMetricFactory factory, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        where TChild : class
    {
        // Keys whose label names collide after sanitising ("a.b", "a_b") keep the first.
        var keys = new List<string>();
        var names = new List<string>();
        foreach (var key in _knownKeys)
        {
            AddKey(key);
        }

        foreach (var tag in tags)
        {
            AddKey(tag.Key);
        }

        try
        {
            var create = CreateFamily(factory, [.. names]);
            return new ChildCache<TChild>([.. keys], labels => (TChild)create(labels), _limit);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            _failed = true;
            _problems.Failed(Name, ex);
            return null;
        }

        void AddKey(string key)
        {
            var name = PrometheusNames.LabelName(key);
            if (name is "le" or "quantile")
            {
                // Reserved by histograms and summaries.
                name = "tag_" + name;
            }

            if (!names.Contains(name))
            {
                keys.Add(key);
                names.Add(name);
            }
        }
    }
}
