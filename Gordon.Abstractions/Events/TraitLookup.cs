namespace Gordon.Abstractions.Events;

internal static class TraitLookup
{
    // Linear: events carry tens of traits, where a scan beats building a dictionary per event.
    public static bool TryFind(IReadOnlyList<Trait> traits, string name, out Trait trait)
    {
        for (var i = 0; i < traits.Count; i++)
        {
            if (string.Equals(traits[i].Name, name, StringComparison.Ordinal))
            {
                trait = traits[i];
                return true;
            }
        }

        trait = default;
        return false;
    }
}
