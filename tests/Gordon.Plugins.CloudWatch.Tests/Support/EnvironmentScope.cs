using Gordon.Plugins.CloudWatch.Tests;

namespace Gordon.Plugins.CloudWatch.Tests.Support;

/// <summary>
/// Sets AWS environment variables and the shared credentials/config files' contents for one test, and restores both
/// after. The environment is process-wide, so every test that uses this is [NonParallelizable].
/// </summary>
internal sealed class EnvironmentScope : IDisposable
{
    private readonly Dictionary<string, string?> _saved = [];

    public EnvironmentScope(string credentials = "", string config = "", params (string Name, string? Value)[] values)
    {
        foreach (var name in AwsTestEnvironment.Variables)
        {
            _saved[name] = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, null);
        }

        File.WriteAllText(AwsTestEnvironment.CredentialsFile, credentials);
        File.WriteAllText(AwsTestEnvironment.ConfigFile, config);
        foreach (var (name, value) in values)
        {
            _saved.TryAdd(name, Environment.GetEnvironmentVariable(name));
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    public void Dispose()
    {
        foreach (var (name, value) in _saved)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        File.WriteAllText(AwsTestEnvironment.CredentialsFile, string.Empty);
        File.WriteAllText(AwsTestEnvironment.ConfigFile, string.Empty);
    }
}
