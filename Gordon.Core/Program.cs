using Gordon.Core.Cli;

namespace Gordon.Core;

internal static class Program
{
    public static Task<int> Main(string[] args) =>
        new GordonCli(Console.Out, Console.Error, TimeProvider.System).RunAsync(args);
}
