namespace Gordon.Plugins.Storage.Api;

/// <summary>One <c>[[storage.api.tokens]]</c> entry.</summary>
/// <param name="Token">The bearer token (a secret).</param>
/// <param name="Caller">Whom it stands for.</param>
internal sealed record ApiToken(string Token, Caller Caller)
{
    public override string ToString() => $"ApiToken {{ Token = ***, Caller = {Caller} }}";
}
