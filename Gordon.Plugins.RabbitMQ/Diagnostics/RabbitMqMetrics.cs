using System.Diagnostics;
using Gordon.Abstractions.Metrics;

namespace Gordon.Plugins.RabbitMQ.Diagnostics;

/// <summary>
/// The RabbitMQ plugins' metrics, each labelled with the plugin name (<c>plugin</c>) and, where it says why, a
/// <c>reason</c>. The names are documented in docs/plugins/rabbitmq.md.
/// </summary>
internal sealed class RabbitMqMetrics
{
    public const string ConnectionFailures = "rabbitmq-connection-failures";
    public const string ConnectionsLost = "rabbitmq-connections-lost";
    public const string Connected = "rabbitmq-connected";
    public const string PublishConfirmed = "rabbitmq-publish-confirmed";
    public const string PublishFailed = "rabbitmq-publish-failed";
    public const string PublishConfirmSeconds = "rabbitmq-publish-confirm-seconds";
    public const string RoutingKeyTruncated = "rabbitmq-publish-routing-key-truncated";
    public const string Delivered = "rabbitmq-consume-delivered";
    public const string Acked = "rabbitmq-consume-acked";
    public const string Rejected = "rabbitmq-consume-rejected";
    public const string Requeued = "rabbitmq-consume-requeued";
    public const string SettleLost = "rabbitmq-consume-settle-lost";

    private readonly IMetricRelay _relay;
    private readonly string _plugin;

    public RabbitMqMetrics(IMetricRelay relay, string plugin)
    {
        _relay = relay;
        _plugin = plugin;
    }

    public void Increment(string name) => _relay.Increment(name, 1, new TagList { { "plugin", _plugin } });

    public void Increment(string name, string reason) =>
        _relay.Increment(name, 1, new TagList { { "plugin", _plugin }, { "reason", reason } });

    public void Set(string name, double value) => _relay.Set(name, value, new TagList { { "plugin", _plugin } });

    public void Record(string name, double value) => _relay.Record(name, value, new TagList { { "plugin", _plugin } });
}
