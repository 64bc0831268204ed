using System.Runtime.InteropServices;

namespace Gordon.Core.Routing;

/// <summary>
/// A counter alone on its cache line. The router counts messages in with one and messages out with
/// another, so emitters and the last phase's workers never write the same cache line: one shared
/// in-flight counter bounced between their cores on every message.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 128)]
internal struct PaddedCounter
{
    /// <summary>The count; use it through <see cref="Interlocked"/>.</summary>
    [FieldOffset(64)]
    public long Value;
}
