namespace Gordon.Plugins.CloudWatch.Configuration;

/// <summary>What a full buffer does with one more datum.</summary>
internal enum OverflowPolicy
{
    /// <summary>Drop the oldest buffered datum to make room: recent lag matters most.</summary>
    DropOldest,

    /// <summary>Drop the new datum and keep what is buffered.</summary>
    DropNewest,

    /// <summary>Fail the message, so the router retries it and finally dead-letters it.</summary>
    Reject,
}
