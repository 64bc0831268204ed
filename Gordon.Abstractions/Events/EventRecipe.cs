namespace Gordon.Abstractions.Events;

/// <summary>
/// How the plugin that made an event can make it again from its message id, generation time and raw body. The
/// durable spool keeps an event with a recipe as those alone, without its parsed traits (a third of a webhook report's
/// bytes and most of the encoding work), and asks the plugin's <see cref="Plugins.IEventRebuilder"/> for the event when
/// it replays it after a restart.
/// </summary>
/// <param name="Plugin">The name of the plugin (as in <c>[core] plugins</c>) that rebuilds the event.</param>
/// <param name="Argument">Whatever else the plugin needs to parse the body as it did (e.g. the request's method); kept short.</param>
public sealed record EventRecipe(string Plugin, string Argument);
