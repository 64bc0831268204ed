using Gordon.Abstractions.Configuration;

namespace Gordon.Core.Configuration;

/// <summary>
/// Loads <c>gordon.toml</c> and <c>gordon-user.toml</c> from a config root: parse both, deep-merge the user's file
/// over the defaults, expand <c>${VAR}</c>, read <c>[core]</c>. Every problem of every stage that can run is
/// reported in one <see cref="ConfigException"/>.
/// </summary>
internal sealed class ConfigLoader
{
    public const string DefaultsFileName = "gordon.toml";
    public const string UserFileName = "gordon-user.toml";

    private readonly ConfigEnvironmentExpander _expander;

    /// <summary>Creates a loader.</summary>
    /// <param name="environment">Looks up environment variables; by default the process environment.</param>
    public ConfigLoader(Func<string, string?>? environment = null)
    {
        _expander = new ConfigEnvironmentExpander(environment ?? Environment.GetEnvironmentVariable);
    }

    /// <summary>Loads and checks the configuration of a config root.</summary>
    /// <param name="configRoot">The folder holding the files; relative paths resolve against the working directory.</param>
    /// <returns>The loaded configuration.</returns>
    /// <exception cref="ConfigException">Lists every problem found.</exception>
    public LoadedConfig Load(string configRoot)
    {
        ArgumentNullException.ThrowIfNull(configRoot);
        var root = Path.GetFullPath(configRoot.Length == 0 ? "." : configRoot);
        if (!Directory.Exists(root))
        {
            throw new ConfigException(File.Exists(root)
                ? $"Cannot load Gordon configuration from '{root}': it is a file, not a directory"
                : $"Cannot load Gordon configuration from '{root}': the directory does not exist");
        }

        var problems = new List<ConfigProblem>();
        var files = new List<string>(2);
        var defaults = ReadFile(Path.Combine(root, DefaultsFileName), files, problems);
        var user = ReadFile(Path.Combine(root, UserFileName), files, problems);
        if (problems.Count > 0)
        {
            throw new ConfigException(problems);
        }

        if (files.Count == 0)
        {
            throw new ConfigException(
                $"Cannot load Gordon configuration from '{root}': neither {DefaultsFileName} nor {UserFileName} exists");
        }

        var merged = _expander.Expand(ConfigMerger.Merge(defaults ?? ConfigTable.Empty, user ?? ConfigTable.Empty), problems);
        var coreSection = new ConfigSection(CoreTable(merged, problems));
        var core = CoreSettingsReader.Read(coreSection, root);
        problems.AddRange(coreSection.Problems.Where(p => !p.IsWarning));
        if (problems.Count > 0)
        {
            throw new ConfigException(problems);
        }

        return new LoadedConfig(root, files, merged, core, coreSection);
    }

    private static ConfigTable? ReadFile(string path, List<string> files, List<ConfigProblem> problems)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problems.Add(new ConfigProblem(string.Empty, $"cannot read '{path}': {ex.Message}", null));
            return null;
        }

        files.Add(path);
        try
        {
            return TomlConfigReader.Read(text, path);
        }
        catch (ConfigException ex)
        {
            problems.AddRange(ex.Problems);
            return null;
        }
    }

    private static ConfigTable CoreTable(ConfigTable merged, List<ConfigProblem> problems)
    {
        if (!merged.TryGetValue("core", out var value))
        {
            return new ConfigTable("core", []);
        }

        if (value.Value is ConfigTable core)
        {
            return core;
        }

        problems.Add(new ConfigProblem("core", $"expected a table, got {value.TypeName}", value.Location));
        return new ConfigTable("core", []);
    }
}
