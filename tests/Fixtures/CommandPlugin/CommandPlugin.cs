using Gordon.Abstractions.Commands;
using Gordon.Abstractions.Plugins;

namespace Gordon.Fixtures.CommandPlugin;

/// <summary>Adds `gordon echo` (options, flags, arguments, a subcommand) and reports the health its config names.</summary>
[GordonPlugin("commands", Description = "Fixture: command line and health")]
public sealed class CommandPlugin : IGenericPlugin, ICommandLinePlugin, IHealthReporter
{
    private readonly string _prefix;
    private readonly PluginHealthState _health;
    private readonly string? _daemonVersion;

    public CommandPlugin(PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _prefix = context.Config.GetString("prefix", "echo");
        _health = context.Config.GetEnum("health", PluginHealthState.Healthy);
        _daemonVersion = context.Daemon?.Version;
    }

    public IReadOnlyList<PluginCommand> Commands =>
    [
        new PluginCommand
        {
            Name = "echo",
            Description = "Prints its argument",
            Arguments = [new PluginCommandArgument("text", "What to print"), new PluginCommandArgument("suffix", "Optional", Required: false)],
            Options =
            [
                new PluginCommandOption("--upper", "Upper-case it", IsFlag: true),
                new PluginCommandOption("--tag", "A tag, repeatable", AllowMultiple: true),
                new PluginCommandOption("--exit", "The exit code to return"),
            ],
            Subcommands =
            [
                new PluginCommand
                {
                    Name = "fail",
                    Description = "Throws",
                    Run = (_, _) => throw new InvalidOperationException("the fixture failed on purpose"),
                },
            ],
            Run = async (invocation, _) =>
            {
                var text = invocation.GetArgument("text")!;
                if (invocation.HasOption("--upper"))
                {
                    text = text.ToUpperInvariant();
                }

                await invocation.Output.WriteLineAsync(
                    $"{_prefix}: {text}{invocation.GetArgument("suffix")} tags=[{string.Join(",", invocation.GetOptions("--tag"))}] daemon={_daemonVersion is not null}").ConfigureAwait(false);
                return int.Parse(invocation.GetOption("--exit") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
            },
        },
    ];

    public PluginHealth GetHealth() => _health == PluginHealthState.Healthy ? PluginHealth.Healthy : new PluginHealth(_health, "the fixture says " + _health);
}
