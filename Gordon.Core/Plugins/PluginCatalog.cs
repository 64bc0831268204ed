using Gordon.Abstractions.Commands;
using System.Reflection;
using Gordon.Abstractions;
using Gordon.Abstractions.Plugins;
using McMaster.NETCore.Plugins;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gordon.Core.Plugins;

/// <summary>
/// Every plugin found in the plugin directories: each assembly loaded with McMaster's <see cref="PluginLoader"/> in
/// its own load context, sharing the contract with the host. Discovery never throws for a bad plugin: what cannot be
/// loaded is in <see cref="Failures"/>, and the host decides (with <c>[core] strict</c>) whether that is fatal.
/// Keeps the loaders alive as long as the plugin types are in use; disposing it disposes them.
/// </summary>
internal sealed partial class PluginCatalog : IDisposable
{
    // Types whose assemblies must have one identity in host and plugins: the contract, and everything that crosses
    // the boundary through it (loggers, hosting, ASP.NET Core routing). McMaster also shares what these reference.
    private static readonly Type[] SharedTypes =
    [
        typeof(GordonPluginAttribute),
        typeof(ILogger),
        typeof(IHostedService),
        typeof(IServiceCollection),
        typeof(IEndpointRouteBuilder),
        typeof(HttpContext),
    ];

    private readonly List<PluginLoader> _loaders;
    private bool _disposed;

    private PluginCatalog(
        IReadOnlyList<PluginDescriptor> plugins,
        IReadOnlyList<PluginLoadFailure> failures,
        IReadOnlyList<PluginDuplicate> duplicates,
        List<PluginLoader> loaders)
    {
        Plugins = plugins;
        Failures = failures;
        Duplicates = duplicates;
        _loaders = loaders;
    }

    /// <summary>Every plugin class that loaded, in discovery order (directories in order, paths sorted).</summary>
    public IReadOnlyList<PluginDescriptor> Plugins { get; }

    /// <summary>Every assembly or class that could not be loaded, with its path and cause.</summary>
    public IReadOnlyList<PluginLoadFailure> Failures { get; }

    /// <summary>Names provided by more than one assembly; such a name cannot be activated.</summary>
    public IReadOnlyList<PluginDuplicate> Duplicates { get; }

    /// <summary>
    /// Scans the plugin directories: each folder <c>&lt;Folder&gt;/&lt;Folder&gt;.dll</c> and each <c>*.dll</c>
    /// directly in a directory is a plugin assembly.
    /// </summary>
    /// <param name="pluginDirectories">The directories, in order; relative paths resolve against the working directory, so the host passes them resolved against the config root.</param>
    /// <param name="logger">Logs what is found.</param>
    /// <returns>The catalog; dispose it when the plugins are no longer used.</returns>
    public static PluginCatalog Discover(IReadOnlyList<string> pluginDirectories, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(pluginDirectories);
        ArgumentNullException.ThrowIfNull(logger);

        var plugins = new List<PluginDescriptor>();
        var failures = new List<PluginLoadFailure>();
        var loaders = new List<PluginLoader>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var directory in pluginDirectories)
        {
            foreach (var path in FindCandidates(Path.GetFullPath(directory), logger))
            {
                // The same directory listed twice must not make every plugin in it a duplicate of itself.
                if (seen.Add(path))
                {
                    LoadAssembly(path, plugins, failures, loaders, logger);
                }
            }
        }

        var duplicates = plugins
            .GroupBy(p => p.Name, StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .Select(g => new PluginDuplicate(g.Key, [.. g.Select(p => p.AssemblyPath)]))
            .ToList();
        foreach (var duplicate in duplicates)
        {
            Log.DuplicateName(logger, duplicate.Name, string.Join(", ", duplicate.AssemblyPaths));
        }

        return new PluginCatalog(plugins, failures, duplicates, loaders);
    }

    /// <summary>Finds the one usable plugin of a name.</summary>
    /// <param name="name">The plugin name.</param>
    /// <param name="descriptor">The plugin, when exactly one assembly provides it.</param>
    /// <returns>Whether exactly one loaded plugin has the name.</returns>
    public bool TryFind(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PluginDescriptor? descriptor)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        descriptor = null;
        foreach (var plugin in Plugins)
        {
            if (string.Equals(plugin.Name, name, StringComparison.Ordinal))
            {
                if (descriptor is not null)
                {
                    descriptor = null;
                    return false;
                }

                descriptor = plugin;
            }
        }

        return descriptor is not null;
    }

    /// <summary>Disposes every plugin loader.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var loader in _loaders)
        {
            loader.Dispose();
        }

        _loaders.Clear();
    }

    private static List<string> FindCandidates(string directory, ILogger logger)
    {
        var candidates = new List<string>();
        if (!Directory.Exists(directory))
        {
            Log.DirectoryMissing(logger, directory);
            return candidates;
        }

        foreach (var folder in Directory.GetDirectories(directory).Order(StringComparer.Ordinal))
        {
            var dll = Path.Combine(folder, Path.GetFileName(folder) + ".dll");
            if (File.Exists(dll))
            {
                candidates.Add(dll);
            }
            else
            {
                Log.FolderWithoutAssembly(logger, folder, Path.GetFileName(dll));
            }
        }

        candidates.AddRange(Directory.GetFiles(directory, "*.dll").Order(StringComparer.Ordinal));
        return candidates;
    }

    /// <summary>Why a plugin built against <paramref name="built"/> cannot run on this host, or null when it can.</summary>
    private static string? ContractMismatch(Version built)
    {
        if (built.Major != ContractVersion.Major)
        {
            return $"built for plugin contract {built.Major} (Gordon.Abstractions {built}), "
                + $"but this host has contract {ContractVersion.Major} (Gordon.Abstractions {ContractVersion.Current}); "
                + $"use a build of the plugin for contract {ContractVersion.Major}";
        }

        // The plugin's Gordon.Abstractions reference is bound to the host's copy whatever its version, so a plugin
        // built for a later minor would load and then fail on the first member this host lacks: at discovery, or
        // in the middle of handling a message.
        if (built.Minor > ContractVersion.Minor)
        {
            return $"built for plugin contract {built.Major}.{built.Minor} (Gordon.Abstractions {built}), "
                + $"newer than this host's contract {ContractVersion.Major}.{ContractVersion.Minor} (Gordon.Abstractions {ContractVersion.Current}); "
                + $"upgrade Gordon or use a build of the plugin for contract {ContractVersion.Major}.{ContractVersion.Minor} or earlier";
        }

        return null;
    }

    private static void LoadAssembly(
        string path,
        List<PluginDescriptor> plugins,
        List<PluginLoadFailure> failures,
        List<PluginLoader> loaders,
        ILogger logger)
    {
        PluginMetadata metadata;
        try
        {
            metadata = PluginMetadataReader.Read(path);
        }
        catch (Exception ex) when (ex is BadImageFormatException or IOException or UnauthorizedAccessException)
        {
            Fail(failures, logger, path, null, $"not a readable .NET assembly ({ex.Message})");
            return;
        }

        // One failure per plugin the assembly declares, so each can be matched against [core] plugins.
        IReadOnlyList<string?> names = metadata.PluginNames.Count > 0 ? [.. metadata.PluginNames] : [null];
        if (metadata.ContractVersion is null)
        {
            Fail(failures, logger, path, null, "not a Gordon plugin: it does not reference Gordon.Abstractions");
            return;
        }

        // Checked on metadata, before any type loads: a plugin for another contract would otherwise fail later with a
        // TypeLoadException or MissingMethodException that says nothing about versions.
        if (ContractMismatch(metadata.ContractVersion) is { } mismatch)
        {
            foreach (var name in names)
            {
                Fail(failures, logger, path, name, mismatch);
            }

            return;
        }

        if (metadata.PluginNames.Count == 0)
        {
            Fail(failures, logger, path, null, "not a Gordon plugin: no class is marked [GordonPlugin(\"name\")]");
            return;
        }

        PluginLoader? loader = null;
        try
        {
            loader = PluginLoader.CreateFromAssemblyFile(path, SharedTypes);
            var assembly = loader.LoadDefaultAssembly();
            var types = Array.Empty<Type>();
            var cause = FindMissingDependency(loader, assembly) ?? FindTypeLoadError(assembly, out types);
            if (cause is not null)
            {
                foreach (var name in names)
                {
                    Fail(failures, logger, path, name, cause);
                }

                loader.Dispose();
                return;
            }

            var version = VersionOf(assembly);
            foreach (var type in types)
            {
                if (type.GetCustomAttribute<GordonPluginAttribute>() is not { } attribute)
                {
                    continue;
                }

                if (Describe(type, attribute, version, path) is { } descriptor)
                {
                    plugins.Add(descriptor);
                    Log.Discovered(logger, descriptor.Name, descriptor.Kind, path);
                }
                else
                {
                    Fail(failures, logger, path, attribute.Name, ShapeProblem(type));
                }
            }

            loaders.Add(loader);
        }
        catch (Exception ex) when (ex is BadImageFormatException or IOException or TypeLoadException or CustomAttributeFormatException or ArgumentException)
        {
            loader?.Dispose();
            foreach (var name in names)
            {
                Fail(failures, logger, path, name, $"cannot be loaded ({ex.GetType().Name}: {ex.Message})");
            }
        }
    }

    private static string? FindMissingDependency(PluginLoader loader, Assembly assembly)
    {
        // Resolving every direct reference now names the missing file at start-up, instead of a
        // FileNotFoundException from the first message that happens to reach the code using it.
        foreach (var reference in assembly.GetReferencedAssemblies())
        {
            try
            {
                loader.LoadAssembly(reference);
            }
            catch (Exception ex) when (ex is FileNotFoundException or FileLoadException or BadImageFormatException)
            {
                return $"missing dependency {reference.FullName}: it is neither in the plugin's folder nor in the host ({ex.GetType().Name})";
            }
        }

        return null;
    }

    private static string? FindTypeLoadError(Assembly assembly, out Type[] types)
    {
        // Loading every type now (as Jellyfin does) turns an incompatible shared library into a load failure
        // with a cause, not a crash on first use.
        try
        {
            types = assembly.GetTypes();
            return null;
        }
        catch (ReflectionTypeLoadException ex)
        {
            types = [];
            var first = ex.LoaderExceptions.FirstOrDefault(e => e is not null);
            return $"its types cannot be loaded ({first?.GetType().Name}: {first?.Message})";
        }
    }

    private static PluginDescriptor? Describe(Type type, GordonPluginAttribute attribute, string version, string path)
    {
        var kind = PluginKind.None;
        if (typeof(IRunnable).IsAssignableFrom(type))
        {
            kind |= PluginKind.Runnable;
        }

        if (typeof(IMessageHandler).IsAssignableFrom(type))
        {
            kind |= PluginKind.Handler;
        }

        if (typeof(ICommandLinePlugin).IsAssignableFrom(type))
        {
            kind |= PluginKind.Commands;
        }

        if (kind == PluginKind.None || type.IsAbstract || type.ContainsGenericParameters || type.GetConstructor([typeof(PluginContext)]) is null)
        {
            return null;
        }

        return new PluginDescriptor(attribute.Name, kind, attribute.Phase, version, path, type, attribute.Description);
    }

    private static string ShapeProblem(Type type)
    {
        if (!typeof(IRunnable).IsAssignableFrom(type) && !typeof(IMessageHandler).IsAssignableFrom(type) && !typeof(ICommandLinePlugin).IsAssignableFrom(type))
        {
            return $"class {type.FullName} implements none of IRunnable, IMessageHandler and ICommandLinePlugin";
        }

        if (type.IsAbstract || type.ContainsGenericParameters)
        {
            return $"class {type.FullName} is abstract or generic and cannot be constructed";
        }

        return $"class {type.FullName} has no public constructor taking a PluginContext";
    }

    private static string VersionOf(Assembly assembly)
    {
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (!string.IsNullOrEmpty(informational))
        {
            // The SDK appends "+<commit>"; the table shows the version a user recognises.
            var plus = informational.IndexOf('+', StringComparison.Ordinal);
            return plus > 0 ? informational[..plus] : informational;
        }

        return assembly.GetName().Version?.ToString() ?? "unknown";
    }

    private static void Fail(List<PluginLoadFailure> failures, ILogger logger, string path, string? name, string cause)
    {
        failures.Add(new PluginLoadFailure(path, name, cause));
        Log.LoadFailed(logger, name ?? "?", path, cause);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3100, Level = LogLevel.Debug, Message = "Found plugin {PluginName} ({Kind}) in {AssemblyPath}")]
        public static partial void Discovered(ILogger logger, string pluginName, PluginKind kind, string assemblyPath);

        // Debug only: the activator reports failures as errors or warnings, depending on [core] plugins and strict.
        [LoggerMessage(EventId = 3101, Level = LogLevel.Debug, Message = "Plugin {PluginName} in {AssemblyPath} failed to load: {Cause}")]
        public static partial void LoadFailed(ILogger logger, string pluginName, string assemblyPath, string cause);

        [LoggerMessage(EventId = 3102, Level = LogLevel.Information, Message = "Plugin directory {Directory} does not exist; no plugins loaded from it")]
        public static partial void DirectoryMissing(ILogger logger, string directory);

        [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "Plugin folder {Folder} has no {AssemblyName}; skipped (a plugin folder holds <Folder>/<Folder>.dll)")]
        public static partial void FolderWithoutAssembly(ILogger logger, string folder, string assemblyName);

        [LoggerMessage(EventId = 3104, Level = LogLevel.Debug, Message = "Plugin name {PluginName} is provided by several assemblies: {AssemblyPaths}")]
        public static partial void DuplicateName(ILogger logger, string pluginName, string assemblyPaths);
    }
}
