namespace Gordon.Core.Routing;

/// <summary>How the handlers of one phase run on a message.</summary>
internal enum FanoutMode
{
    /// <summary>All handlers of the phase run at once; the message moves on when every one has succeeded.</summary>
    Parallel,

    /// <summary>The handlers run one after another, in configured order; a handler that fails for good stops the rest.</summary>
    Ordered,
}
