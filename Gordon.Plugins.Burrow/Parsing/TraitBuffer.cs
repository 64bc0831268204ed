using System.Runtime.CompilerServices;
using Gordon.Abstractions.Events;

namespace Gordon.Plugins.Burrow.Parsing;

/// <summary>Room for a report's traits on the stack, so only the exact-size array that the event keeps is allocated.</summary>
[InlineArray(Size)]
internal struct TraitBuffer
{
    public const int Size = 16;

    private Trait _element;
}
