using Gordon.Plugins.CloudWatch.Credentials;
using Gordon.Plugins.CloudWatch.Sending;

namespace Gordon.Plugins.CloudWatch;

/// <summary>What tests replace: the credential source, standard output for EMF, and the sender's seams.</summary>
internal sealed class CloudWatchPluginSeams
{
    /// <summary>Credentials instead of the standard chain.</summary>
    public ICredentialSource? Credentials { get; init; }

    /// <summary>The stream <c>emf_output = "stdout"</c> writes to.</summary>
    public Stream? StandardOutput { get; init; }

    public SenderSeams Sender { get; init; } = new();
}
