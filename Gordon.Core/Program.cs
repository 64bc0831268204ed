namespace Gordon.Core;

internal static class Program
{
    public static int Main(string[] args)
    {
        Console.WriteLine($"gordon {typeof(Program).Assembly.GetName().Version} ({args.Length} args)");
        return 0;
    }
}
