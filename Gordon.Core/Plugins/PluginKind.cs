namespace Gordon.Core.Plugins;

/// <summary>What a plugin class is: a producer of messages, a handler of one phase, or both.</summary>
[Flags]
internal enum PluginKind
{
    /// <summary>Neither: such a class is refused at discovery, nothing could ever call it.</summary>
    None = 0,

    /// <summary>Implements <c>IRunnable</c>.</summary>
    Runnable = 1,

    /// <summary>Implements <c>IMessageHandler</c>.</summary>
    Handler = 2,

    /// <summary>Adds commands to the command line (<see cref="Gordon.Abstractions.Commands.ICommandLinePlugin"/>).</summary>
    Commands = 4,
}
