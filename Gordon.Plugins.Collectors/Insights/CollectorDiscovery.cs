using System.Reflection;
using System.Text.RegularExpressions;
using Gordon.Abstractions.Collectors;

namespace Gordon.Plugins.Collectors.Insights;

/// <summary>
/// Finds the collectors marked with <see cref="CollectorAttribute"/>: classes implementing <see cref="ICollector"/>
/// and static methods taking (<see cref="CollectorInvocation"/>, <see cref="CancellationToken"/>) and returning
/// <c>Task&lt;CollectorOutput&gt;</c>, among the public types of the given assemblies. A collector that does not fit
/// is reported and left out; it never stops the others.
/// </summary>
internal static partial class CollectorDiscovery
{
    /// <summary>The assemblies a daemon has loaded that can hold collectors: those referencing the contract.</summary>
    public static IEnumerable<Assembly> CandidateAssemblies()
    {
        var contract = typeof(CollectorAttribute).Assembly.GetName().Name;
        var own = typeof(CollectorDiscovery).Assembly;
        yield return own;
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (assembly != own && !assembly.IsDynamic
                && assembly.GetReferencedAssemblies().Any(r => r.Name == contract))
            {
                yield return assembly;
            }
        }
    }

    public static IReadOnlyList<CollectorDescriptor> Discover(IEnumerable<Assembly> assemblies, ICollection<string> problems)
    {
        ArgumentNullException.ThrowIfNull(assemblies);
        ArgumentNullException.ThrowIfNull(problems);
        var found = new List<CollectorDescriptor>();
        foreach (var assembly in assemblies.Distinct())
        {
            Type[] types;
            try
            {
                types = assembly.GetExportedTypes();
            }
            catch (Exception e) when (e is ReflectionTypeLoadException or FileNotFoundException or FileLoadException or NotSupportedException)
            {
                problems.Add($"{assembly.GetName().Name}: its types cannot be read ({e.Message}); its collectors are left out");
                continue;
            }

            foreach (var type in types)
            {
                if (type.GetCustomAttribute<CollectorAttribute>() is { } classAttribute)
                {
                    AddIfValid(found, FromType(type, classAttribute, problems));
                }

                foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly))
                {
                    if (method.GetCustomAttribute<CollectorAttribute>() is { } methodAttribute)
                    {
                        AddIfValid(found, FromMethod(method, methodAttribute, problems));
                    }
                }
            }
        }

        return Order(found);
    }

    /// <summary>Orders collectors the way a gather processes them: by registration name, then by source.</summary>
    public static IReadOnlyList<CollectorDescriptor> Order(IEnumerable<CollectorDescriptor> collectors) =>
        [.. collectors.OrderBy(c => c.Name, StringComparer.Ordinal).ThenBy(c => c.Source, StringComparer.Ordinal)];

    internal static CollectorDescriptor? FromType(Type type, CollectorAttribute attribute, ICollection<string> problems)
    {
        var where = type.FullName ?? type.Name;
        if (!typeof(ICollector).IsAssignableFrom(type) || type.IsAbstract || type.GetConstructor(Type.EmptyTypes) is null)
        {
            problems.Add($"collector {where}: a [Collector] class must implement ICollector and have a public parameterless constructor");
            return null;
        }

        ICollector instance;
        try
        {
            instance = (ICollector)Activator.CreateInstance(type)!;
        }
        catch (TargetInvocationException e)
        {
            problems.Add($"collector {where}: its constructor failed: {e.InnerException?.Message ?? e.Message}");
            return null;
        }

        return Describe(type.Name, where, type.Assembly, attribute, instance.CollectAsync, problems);
    }

    internal static CollectorDescriptor? FromMethod(MethodInfo method, CollectorAttribute attribute, ICollection<string> problems)
    {
        var where = $"{method.DeclaringType?.FullName}.{method.Name}";
        var parameters = method.GetParameters();
        if (method.ReturnType != typeof(Task<CollectorOutput>) || parameters.Length != 2
            || parameters[0].ParameterType != typeof(CollectorInvocation) || parameters[1].ParameterType != typeof(CancellationToken))
        {
            problems.Add($"collector {where}: a [Collector] method must be static Task<CollectorOutput> {method.Name}(CollectorInvocation, CancellationToken)");
            return null;
        }

        var call = method.CreateDelegate<Func<CollectorInvocation, CancellationToken, Task<CollectorOutput>>>();
        return Describe(method.Name, where, method.Module.Assembly, attribute, call, problems);
    }

    private static CollectorDescriptor? Describe(
        string name,
        string where,
        Assembly assembly,
        CollectorAttribute attribute,
        Func<CollectorInvocation, CancellationToken, Task<CollectorOutput>> collect,
        ICollection<string> problems)
    {
        if (!KeyPattern().IsMatch(attribute.Key))
        {
            problems.Add($"collector {where}: key '{attribute.Key}' must be 1 to 90 letters, digits, '.', '_' or '-'");
            return null;
        }

        if (attribute.Key is "manifest" or "data_collection_status")
        {
            problems.Add($"collector {where}: key '{attribute.Key}' is reserved for the tarball's own files");
            return null;
        }

        ICollectorSlicer? slicer = attribute.Slicing switch
        {
            CollectorSlicing.Daily => CalendarSlicer.Daily,
            CollectorSlicing.Hourly => CalendarSlicer.Hourly,
            _ => null,
        };
        if (attribute.SlicerType is { } slicerType)
        {
            if (!typeof(ICollectorSlicer).IsAssignableFrom(slicerType) || slicerType.GetConstructor(Type.EmptyTypes) is null)
            {
                problems.Add($"collector {where}: SlicerType {slicerType.FullName} must implement ICollectorSlicer and have a public parameterless constructor");
                return null;
            }

            slicer = (ICollectorSlicer)Activator.CreateInstance(slicerType)!;
        }

        if (attribute.Config && (attribute.Format != CollectorFormat.Json || slicer is not null))
        {
            problems.Add($"collector {where}: the config collector must be JSON and unsliced");
            return null;
        }

        if (slicer is not null && attribute.Format != CollectorFormat.Csv)
        {
            problems.Add($"collector {where}: only CSV collectors can be sliced");
            return null;
        }

        if (attribute.FullSyncIntervalDays < 0 || (attribute.FullSyncIntervalDays > 0 && slicer is null))
        {
            problems.Add($"collector {where}: FullSyncIntervalDays needs slicing and must not be negative");
            return null;
        }

        if (string.IsNullOrWhiteSpace(attribute.ShippingGroup))
        {
            problems.Add($"collector {where}: ShippingGroup must not be empty");
            return null;
        }

        return new CollectorDescriptor
        {
            Name = name,
            Key = attribute.Key,
            Version = attribute.Version,
            Format = attribute.Format,
            Slicer = slicer,
            ShippingGroup = attribute.ShippingGroup,
            FullSyncIntervalDays = attribute.FullSyncIntervalDays,
            IsConfig = attribute.Config,
            Description = attribute.Description,
            Source = assembly.GetName().Name ?? string.Empty,
            Collect = collect,
        };
    }

    private static void AddIfValid(List<CollectorDescriptor> found, CollectorDescriptor? descriptor)
    {
        if (descriptor is not null)
        {
            found.Add(descriptor);
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,90}$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();
}
