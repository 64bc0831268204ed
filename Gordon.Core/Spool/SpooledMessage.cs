using Gordon.Abstractions.Events;

namespace Gordon.Core.Spool;

/// <summary>An unfinished message found in the spool at start.</summary>
internal sealed record SpooledMessage(long Sequence, Event Event);
