using System.Reflection;
using Gordon.Abstractions.Collectors;

namespace Gordon.Plugins.Collectors.Interval;

/// <summary>The probes jobs can name: the built-in ones and every <see cref="CollectorProbeAttribute"/> class of the loaded plugins.</summary>
internal sealed class ProbeRegistry : IAsyncDisposable
{
    private readonly Dictionary<string, ICollectorProbe> _probes = new(StringComparer.Ordinal);

    public ProbeRegistry(IReadOnlyDictionary<string, ICollectorProbe> builtIn)
    {
        ArgumentNullException.ThrowIfNull(builtIn);
        foreach (var (name, probe) in builtIn)
        {
            _probes.Add(name, probe);
        }
    }

    public IReadOnlyCollection<string> Names => _probes.Keys;

    public bool TryGet(string name, out ICollectorProbe probe) => _probes.TryGetValue(name, out probe!);

    /// <summary>Adds the probe classes of other assemblies; a clash with a known name or a bad class is reported and skipped.</summary>
    public void Discover(IEnumerable<Assembly> assemblies, ICollection<string> problems)
    {
        ArgumentNullException.ThrowIfNull(assemblies);
        ArgumentNullException.ThrowIfNull(problems);
        foreach (var assembly in assemblies.Where(a => a != typeof(ProbeRegistry).Assembly).Distinct())
        {
            Type[] types;
            try
            {
                types = assembly.GetExportedTypes();
            }
            catch (Exception e) when (e is ReflectionTypeLoadException or FileNotFoundException or FileLoadException or NotSupportedException)
            {
                problems.Add($"{assembly.GetName().Name}: its types cannot be read ({e.Message}); its probes are left out");
                continue;
            }

            foreach (var type in types)
            {
                if (type.GetCustomAttribute<CollectorProbeAttribute>() is not { } attribute)
                {
                    continue;
                }

                if (!typeof(ICollectorProbe).IsAssignableFrom(type) || type.IsAbstract || type.GetConstructor(Type.EmptyTypes) is null)
                {
                    problems.Add($"probe {type.FullName}: a [CollectorProbe] class must implement ICollectorProbe and have a public parameterless constructor");
                }
                else if (_probes.ContainsKey(attribute.Name))
                {
                    problems.Add($"probe {type.FullName}: the name '{attribute.Name}' is taken; this probe is left out");
                }
                else
                {
                    try
                    {
                        _probes.Add(attribute.Name, (ICollectorProbe)Activator.CreateInstance(type)!);
                    }
                    catch (TargetInvocationException e)
                    {
                        problems.Add($"probe {type.FullName}: its constructor failed: {e.InnerException?.Message ?? e.Message}");
                    }
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var probe in _probes.Values)
        {
            switch (probe)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }
    }
}
