using Gordon.Abstractions.Plugins;

namespace Gordon.Plugins.RabbitMQ.Connection;

/// <summary>
/// A plugin's view of its broker connection, for <c>/health</c>: healthy while connected; degraded while it
/// reconnects; unhealthy when the broker has been unreachable for longer than <c>unhealthy_after</c>, or at once
/// when the failure needs an operator (a refused login, a missing queue). Cheap to read from any thread.
/// </summary>
internal sealed class BrokerHealth
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _unhealthyAfter;
    private readonly string _broker;
    private bool _connected;
    private long _downSince;
    private BrokerFailure _failure;

    public BrokerHealth(TimeProvider time, TimeSpan unhealthyAfter, string broker)
    {
        _time = time;
        _unhealthyAfter = unhealthyAfter;
        _broker = broker;
        _downSince = time.GetTimestamp();
        _failure = new BrokerFailure("not connected yet", OperatorMustAct: false);
    }

    /// <summary>True while a connection is up.</summary>
    public bool IsConnected
    {
        get
        {
            lock (_lock)
            {
                return _connected;
            }
        }
    }

    /// <summary>The last failure, for error messages.</summary>
    public string LastFailure
    {
        get
        {
            lock (_lock)
            {
                return _failure.Reason;
            }
        }
    }

    /// <summary>Records a working connection.</summary>
    public void Up()
    {
        lock (_lock)
        {
            _connected = true;
        }
    }

    /// <summary>Records a failed attempt or a lost connection; the outage counts from the first failure.</summary>
    /// <param name="failure">What went wrong.</param>
    public void Down(BrokerFailure failure)
    {
        lock (_lock)
        {
            if (_connected)
            {
                _connected = false;
                _downSince = _time.GetTimestamp();
            }

            _failure = failure;
        }
    }

    /// <summary>The report for <c>/health</c>.</summary>
    /// <returns>The plugin's health.</returns>
    public PluginHealth Get()
    {
        lock (_lock)
        {
            if (_connected)
            {
                return PluginHealth.Healthy;
            }

            var down = _time.GetElapsedTime(_downSince);
            var detail = $"RabbitMQ at {_broker} unreachable for {Math.Round(down.TotalSeconds)}s: {_failure.Reason}";
            return _failure.OperatorMustAct || down >= _unhealthyAfter ? PluginHealth.Unhealthy(detail) : PluginHealth.Degraded(detail);
        }
    }
}
