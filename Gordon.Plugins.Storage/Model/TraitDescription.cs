using Gordon.Abstractions.Events;

namespace Gordon.Plugins.Storage.Model;

/// <summary>A trait name and the type it is stored as (Panko's get_trait_types entry).</summary>
/// <param name="Name">The trait name.</param>
/// <param name="Type">The stored type.</param>
internal readonly record struct TraitDescription(string Name, TraitType Type);
