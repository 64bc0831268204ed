namespace Gordon.Plugins.CloudWatch.Tests;

/// <summary>
/// Runs once before every test of the assembly: clears the AWS variables the credential and region chains read, turns
/// off EC2 instance metadata (no test may reach 169.254.169.254), and points the shared credentials and config files at
/// empty files of our own. AWSSDK.Core reads AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE once per process, so the
/// paths are fixed here for the whole run and tests change the files' contents, never the variables.
/// </summary>
// In the root namespace: a SetUpFixture applies to its namespace and those below it.
[SetUpFixture]
public sealed class AwsTestEnvironment
{
    private static readonly string Folder = Path.Combine(Path.GetTempPath(), "gordon-cw-aws-" + Environment.ProcessId);

    public static string CredentialsFile => Path.Combine(Folder, "credentials");

    public static string ConfigFile => Path.Combine(Folder, "config");

    internal static readonly string[] Variables =
    [
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SECRET_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
        "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_REGION", "AWS_DEFAULT_REGION",
    ];

    [OneTimeSetUp]
    public void Isolate()
    {
        Directory.CreateDirectory(Folder);
        File.WriteAllText(CredentialsFile, string.Empty);
        File.WriteAllText(ConfigFile, string.Empty);
        foreach (var name in Variables)
        {
            Environment.SetEnvironmentVariable(name, null);
        }

        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
        Environment.SetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE", CredentialsFile);
        Environment.SetEnvironmentVariable("AWS_CONFIG_FILE", ConfigFile);
    }

    [OneTimeTearDown]
    public void Clean()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Left in temp; harmless.
        }
    }
}
