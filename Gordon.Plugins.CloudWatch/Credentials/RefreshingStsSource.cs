using Amazon.Runtime;

namespace Gordon.Plugins.CloudWatch.Credentials;

/// <summary>
/// Temporary credentials from an STS call, cached until five minutes before they expire and then fetched again,
/// so a long-running daemon never signs with expired credentials (Karrot relied on boto3 for this).
/// </summary>
internal sealed class RefreshingStsSource : ICredentialSource, IDisposable
{
    /// <summary>How long before expiry credentials are renewed.</summary>
    public static readonly TimeSpan RefreshAhead = TimeSpan.FromMinutes(5);

    private readonly Func<CancellationToken, Task<StsCredentials>> _fetch;
    private readonly string _description;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private StsCredentials? _current;

    /// <param name="fetch">The STS call.</param>
    /// <param name="description">What this is, e.g. "role arn:… assumed with environment variables".</param>
    /// <param name="time">The clock that decides expiry.</param>
    public RefreshingStsSource(Func<CancellationToken, Task<StsCredentials>> fetch, string description, TimeProvider time)
    {
        _fetch = fetch ?? throw new ArgumentNullException(nameof(fetch));
        _description = description ?? throw new ArgumentNullException(nameof(description));
        _time = time ?? throw new ArgumentNullException(nameof(time));
    }

    public string? ResolvedFrom => _current is null ? null : _description;

    public async ValueTask<ImmutableCredentials> GetAsync(CancellationToken cancellationToken)
    {
        if (Fresh(_current) is { } cached)
        {
            return cached;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Fresh(_current) is { } again)
            {
                return again;
            }

            try
            {
                _current = await _fetch(cancellationToken).ConfigureAwait(false);
            }
            catch (StsException ex)
            {
                throw new CredentialsUnavailableException($"{_description}: {ex.Message}", ex);
            }
            catch (CredentialsUnavailableException ex)
            {
                throw new CredentialsUnavailableException($"{_description}: the caller has no credentials: {ex.Message}", ex);
            }

            return _current.Credentials;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Invalidate() => _current = null;

    public void Dispose() => _gate.Dispose();

    private ImmutableCredentials? Fresh(StsCredentials? credentials) =>
        credentials is not null && credentials.Expiration - RefreshAhead > _time.GetUtcNow() ? credentials.Credentials : null;
}
