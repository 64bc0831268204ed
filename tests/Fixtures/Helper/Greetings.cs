namespace Gordon.Fixtures.Helper;

/// <summary>Lives in its own assembly so GoodPlugin has a private dependency a test can remove.</summary>
public static class Greetings
{
    // A method, not a const: a const would be inlined and leave no reference to this assembly.
    public static string Default() => "hello";
}
