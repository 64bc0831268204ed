namespace Gordon.Plugins.RabbitMQ.Configuration;

/// <summary>The AMQP exchange types (<c>exchange_type</c>).</summary>
internal enum ExchangeKind
{
    /// <summary>Routes on the whole routing key.</summary>
    Direct,

    /// <summary>Routes on dotted words with <c>*</c> and <c>#</c> wildcards in the bindings.</summary>
    Topic,

    /// <summary>Routes every message to every bound queue.</summary>
    Fanout,

    /// <summary>Routes on message headers.</summary>
    Headers,
}
