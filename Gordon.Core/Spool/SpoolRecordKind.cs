namespace Gordon.Core.Spool;

/// <summary>What a spool record holds.</summary>
internal enum SpoolRecordKind : byte
{
    /// <summary>A message, as the event's JSON.</summary>
    Message = 1,

    /// <summary>The message with this sequence number finished (done or dead-lettered); no payload.</summary>
    Ack = 2,
}
