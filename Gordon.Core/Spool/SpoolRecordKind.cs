namespace Gordon.Core.Spool;

/// <summary>What a spool record holds.</summary>
internal enum SpoolRecordKind : byte
{
    /// <summary>A message, as the event's JSON (written by earlier versions; still read). CRC-32.</summary>
    Message = 1,

    /// <summary>The message with this sequence number finished (written by earlier versions; still read). CRC-32.</summary>
    Ack = 2,

    /// <summary>A message, as the event in <see cref="SpoolEventCodec"/>'s binary form. CRC-32C.</summary>
    Event = 3,

    /// <summary>
    /// Messages that finished (done or dead-lettered): the payload is their sequence numbers, 8 bytes each, and the
    /// record's own sequence is the highest of them. CRC-32C.
    /// </summary>
    Acks = 4,

    /// <summary>
    /// A message whose producer rebuilds it at replay: id, type, generation time, <see cref="Gordon.Abstractions.Events.EventRecipe"/>
    /// and raw body in <see cref="SpoolEventCodec.WriteRecipe"/>'s form, without the traits. CRC-32C.
    /// </summary>
    Recipe = 5,
}
