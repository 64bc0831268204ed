using System.CommandLine;
using Gordon.Abstractions.Commands;
using Gordon.Abstractions.Configuration;

namespace Gordon.Core.Cli;

/// <summary>Turns a plugin's <see cref="PluginCommand"/> into a System.CommandLine command, so plugin commands get the same help and usage errors as ours.</summary>
internal sealed class PluginCommandBinder(TextWriter output, TextWriter error)
{
    public Command Bind(string plugin, PluginCommand definition)
    {
        var command = new Command(definition.Name, definition.Description);
        foreach (var sub in definition.Subcommands)
        {
            command.Add(Bind(plugin, sub));
        }

        if (definition.Run is not { } run)
        {
            return command;
        }

        // Only read before parsing (PluginCommandSet), but declared so that parsing accepts it.
        command.Add(new Option<string>("--config-root", "-c")
        {
            Description = "The directory holding gordon.toml and gordon-user.toml (default: the working directory).",
        });

        var options = new List<(PluginCommandOption Definition, Option Option)>();
        foreach (var o in definition.Options)
        {
            Option option = o switch
            {
                { IsFlag: true } => new Option<bool>(o.Name) { Description = o.Description },
                { AllowMultiple: true } => new Option<string[]>(o.Name) { Description = o.Description, Arity = ArgumentArity.OneOrMore },
                _ => new Option<string>(o.Name) { Description = o.Description },
            };
            option.Required = o.Required;
            command.Add(option);
            options.Add((o, option));
        }

        var arguments = new List<(PluginCommandArgument Definition, Argument<string> Argument)>();
        foreach (var a in definition.Arguments)
        {
            var argument = new Argument<string>(a.Name)
            {
                Description = a.Description,
                Arity = a.Required ? ArgumentArity.ExactlyOne : ArgumentArity.ZeroOrOne,
            };
            command.Add(argument);
            arguments.Add((a, argument));
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var values = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            foreach (var (o, option) in options)
            {
                switch (option)
                {
                    case Option<bool> flag when parse.GetValue(flag):
                        values[o.Name] = [];
                        break;
                    case Option<string[]> many when parse.GetValue(many) is { Length: > 0 } list:
                        values[o.Name] = list;
                        break;
                    case Option<string> one when parse.GetValue(one) is { } value:
                        values[o.Name] = [value];
                        break;
                }
            }

            var args = arguments.ToDictionary(a => a.Definition.Name, a => parse.GetValue(a.Argument), StringComparer.Ordinal);
            var invocation = new PluginCommandInvocation(values, args, output, error);
            try
            {
                return await run(invocation, cancellationToken).ConfigureAwait(false);
            }
            catch (ConfigException e)
            {
                await error.WriteLineAsync($"gordon {definition.Name}: configuration of plugin '{plugin}' is invalid:").ConfigureAwait(false);
                foreach (var problem in e.Problems)
                {
                    await error.WriteLineAsync("  " + problem).ConfigureAwait(false);
                }

                return ExitCodes.Config;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return ExitCodes.Failure;
            }
#pragma warning disable CA1031 // A plugin command's failure is reported in one line, never as a stack trace.
            catch (Exception e)
#pragma warning restore CA1031
            {
                await error.WriteLineAsync($"gordon {definition.Name}: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Failure;
            }
        });
        return command;
    }
}
