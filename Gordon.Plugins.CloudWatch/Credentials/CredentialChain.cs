using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Util;

namespace Gordon.Plugins.CloudWatch.Credentials;

/// <summary>
/// The standard AWS credential chain, in the SDKs' order: environment variables, web identity (EKS/IRSA), the shared
/// credentials and config files (profile from <c>profile</c>, AWS_PROFILE or "default"), the container endpoint
/// (ECS/EKS pod identity), then EC2 instance metadata unless AWS_EC2_METADATA_DISABLED=true. AWSSDK.Core does the
/// environment, the files, the container and instance metadata; web identity and role profiles go through
/// <see cref="StsClient"/> (see there why). The first source that yields credentials is kept; AWSSDK.Core's
/// credential objects refresh themselves.
/// </summary>
internal sealed class CredentialChain : ICredentialSource, IDisposable
{
    private readonly string? _profile;
    private readonly Func<StsClient> _sts;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    // Sources that hold a refresh state are made once and reused by later walks of the chain (a walk happens on
    // every flush while no credentials are found); the files and the environment are read again on every walk.
    private readonly Dictionary<string, RefreshingStsSource> _stsSources = new(StringComparer.Ordinal);
    private InstanceProfileAWSCredentials? _instanceProfile;
    private Func<CancellationToken, ValueTask<ImmutableCredentials>>? _resolved;
    private string? _from;

    /// <param name="profile">The profile the config names, or null for AWS_PROFILE / "default".</param>
    /// <param name="sts">The STS client, for web identity and role profiles.</param>
    /// <param name="time">The clock for STS credential expiry.</param>
    public CredentialChain(string? profile, Func<StsClient> sts, TimeProvider time)
    {
        _profile = profile;
        _sts = sts ?? throw new ArgumentNullException(nameof(sts));
        _time = time ?? throw new ArgumentNullException(nameof(time));
    }

    public string? ResolvedFrom => _from;

    public async ValueTask<ImmutableCredentials> GetAsync(CancellationToken cancellationToken)
    {
        var resolved = _resolved;
        if (resolved is not null)
        {
            try
            {
                return await resolved(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is AmazonClientException or AmazonServiceException or InvalidOperationException)
            {
                // The source that worked before stopped working (e.g. instance metadata gone): walk the chain again.
                Invalidate();
                throw new CredentialsUnavailableException($"{_from}: {ex.Message}", ex);
            }
        }

        var errors = new List<string>();
        foreach (var (name, create) in Sources())
        {
            Func<CancellationToken, ValueTask<ImmutableCredentials>>? source;
            try
            {
                source = create();
            }
            catch (Exception ex) when (ex is AmazonClientException or InvalidOperationException or ArgumentException or IOException or UnauthorizedAccessException)
            {
                errors.Add($"{name}: {ex.Message}");
                if (ex is ProfileNotFoundException)
                {
                    break;
                }

                continue;
            }

            if (source is null)
            {
                errors.Add($"{name}: not set");
                continue;
            }

            ImmutableCredentials credentials;
            try
            {
                credentials = await source(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is AmazonClientException or AmazonServiceException or InvalidOperationException or CredentialsUnavailableException or HttpRequestException)
            {
                errors.Add($"{name}: {ex.Message}");
                continue;
            }

            lock (_lock)
            {
                _resolved = source;
                _from = name;
            }

            return credentials;
        }

        throw new CredentialsUnavailableException("no AWS credentials found; tried " + string.Join("; ", errors));
    }

    public void Invalidate()
    {
        lock (_lock)
        {
            _resolved = null;
        }
    }

    public void Dispose()
    {
        foreach (var source in _stsSources.Values)
        {
            source.Dispose();
        }

        _instanceProfile?.Dispose();
    }

    private IEnumerable<(string Name, Func<Func<CancellationToken, ValueTask<ImmutableCredentials>>?> Create)> Sources()
    {
        // A profile named in the config is the operator's explicit choice: use it alone, as the SDKs do.
        if (_profile is not null)
        {
            yield return ($"profile '{_profile}'", () => Profile(_profile, explicitName: true));
            yield break;
        }

        yield return ("environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)", Environment);
        yield return ("web identity (AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN)", WebIdentity);
        var name = System.Environment.GetEnvironmentVariable("AWS_PROFILE") is { Length: > 0 } p ? p : "default";
        yield return ($"profile '{name}' ({SharedCredentialsFile.DefaultFilePath}, {SharedCredentialsFile.DefaultConfigFilePath})",
            () => Profile(name, explicitName: name != "default"));
        yield return ("container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / _FULL_URI)", Container);
        yield return ("EC2 instance metadata", InstanceMetadata);
    }

    private static Func<CancellationToken, ValueTask<ImmutableCredentials>>? Environment()
    {
        if (string.IsNullOrEmpty(System.Environment.GetEnvironmentVariable(EnvironmentVariablesAWSCredentials.ENVIRONMENT_VARIABLE_ACCESSKEY)))
        {
            return null;
        }

        var credentials = new EnvironmentVariablesAWSCredentials();
        return Wrap(credentials);
    }

    private Func<CancellationToken, ValueTask<ImmutableCredentials>>? WebIdentity()
    {
        var tokenFile = System.Environment.GetEnvironmentVariable("AWS_WEB_IDENTITY_TOKEN_FILE");
        var roleArn = System.Environment.GetEnvironmentVariable("AWS_ROLE_ARN");
        if (string.IsNullOrEmpty(tokenFile) || string.IsNullOrEmpty(roleArn))
        {
            return null;
        }

        var session = System.Environment.GetEnvironmentVariable("AWS_ROLE_SESSION_NAME") is { Length: > 0 } s ? s : "gordon";
        return StsSource($"web-identity:{tokenFile}:{roleArn}:{session}", () => new RefreshingStsSource(
            async ct =>
            {
                // Read on every refresh: the orchestrator rotates the token file.
                var token = (await File.ReadAllTextAsync(tokenFile, ct).ConfigureAwait(false)).Trim();
                return await _sts().AssumeRoleWithWebIdentityAsync(token, roleArn, session, TimeSpan.FromHours(1), ct).ConfigureAwait(false);
            },
            $"web identity role {roleArn}",
            _time));
    }

    private Func<CancellationToken, ValueTask<ImmutableCredentials>>? Profile(string name, bool explicitName)
    {
        var store = new CredentialProfileStoreChain();
        if (!store.TryGetProfile(name, out var profile))
        {
            if (explicitName)
            {
                throw new ProfileNotFoundException(
                    $"profile '{name}' is not in {SharedCredentialsFile.DefaultFilePath} or {SharedCredentialsFile.DefaultConfigFilePath}");
            }

            return null;
        }

        var options = profile.Options;
        if (!string.IsNullOrEmpty(options.RoleArn) && !string.IsNullOrEmpty(options.SourceProfile))
        {
            // A role profile: AWSSDK.Core would need AWSSDK.SecurityToken, so assume the role here.
            if (!store.TryGetAWSCredentials(options.SourceProfile, out var sourceCredentials))
            {
                throw new InvalidOperationException($"profile '{name}' names source_profile '{options.SourceProfile}', which has no credentials");
            }

            var roleArn = options.RoleArn;
            var session = string.IsNullOrEmpty(options.RoleSessionName) ? "gordon" : options.RoleSessionName;
            var externalId = string.IsNullOrEmpty(options.ExternalID) ? null : options.ExternalID;
            return StsSource($"profile:{name}:{roleArn}", () => new RefreshingStsSource(
                async ct =>
                {
                    var caller = await sourceCredentials.GetCredentialsAsync().ConfigureAwait(false);
                    return await _sts().AssumeRoleAsync(caller, roleArn, session, externalId, TimeSpan.FromHours(1), ct).ConfigureAwait(false);
                },
                $"role {roleArn} of profile '{name}'",
                _time));
        }

        return Wrap(profile.GetAWSCredentials(store));
    }

    private static Func<CancellationToken, ValueTask<ImmutableCredentials>>? Container()
    {
        if (string.IsNullOrEmpty(System.Environment.GetEnvironmentVariable("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"))
            && string.IsNullOrEmpty(System.Environment.GetEnvironmentVariable("AWS_CONTAINER_CREDENTIALS_FULL_URI")))
        {
            return null;
        }

        return Wrap(new GenericContainerCredentials());
    }

    private Func<CancellationToken, ValueTask<ImmutableCredentials>>? InstanceMetadata()
    {
        if (!EC2InstanceMetadata.IsIMDSEnabled)
        {
            throw new InvalidOperationException("disabled by AWS_EC2_METADATA_DISABLED");
        }

        _instanceProfile ??= new InstanceProfileAWSCredentials();
        return Wrap(_instanceProfile);
    }

    private Func<CancellationToken, ValueTask<ImmutableCredentials>> StsSource(string key, Func<RefreshingStsSource> create)
    {
        if (!_stsSources.TryGetValue(key, out var source))
        {
            source = create();
            _stsSources.Add(key, source);
        }

        return source.GetAsync;
    }

    private static Func<CancellationToken, ValueTask<ImmutableCredentials>> Wrap(AWSCredentials credentials) =>
        async _ => await credentials.GetCredentialsAsync().ConfigureAwait(false);
}
