using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace Gordon.Core.Routing;

/// <summary>
/// The checked route: which phase follows which, and which handlers serve each phase.
/// Built once at start from <c>[core.route]</c> and the active handlers.
/// </summary>
internal sealed class RouteTable
{
    /// <summary>The final phase: a message that reaches it is done.</summary>
    public const string FinalPhase = "done";

    /// <summary>The phase runnables emit into when the route has it.</summary>
    public const string ConsumePhase = "consume";

    private readonly FrozenDictionary<string, string> _next;
    private readonly FrozenDictionary<string, HandlerRegistration[]> _handlers;

    private RouteTable(
        string firstPhase,
        IReadOnlyList<string> path,
        IReadOnlyList<string> unreachable,
        FrozenDictionary<string, string> next,
        FrozenDictionary<string, HandlerRegistration[]> handlers,
        IReadOnlyList<string> errors)
    {
        FirstPhase = firstPhase;
        Phases = path;
        UnreachablePhases = unreachable;
        _next = next;
        _handlers = handlers;
        Errors = errors;
    }

    /// <summary>The phases that pass messages through when no active handler serves them.</summary>
    public static FrozenSet<string> StandardPhases { get; } =
        FrozenSet.ToFrozenSet(["consume", "enrich", "publish"], StringComparer.Ordinal);

    /// <summary>The phase runnables emit into.</summary>
    public string FirstPhase { get; }

    /// <summary>The phases a message goes through, in order, from <see cref="FirstPhase"/> (without <c>done</c>).</summary>
    public IReadOnlyList<string> Phases { get; }

    /// <summary>Phases of <c>[core.route]</c> that no message can reach from <see cref="FirstPhase"/>.</summary>
    public IReadOnlyList<string> UnreachablePhases { get; }

    /// <summary>What is wrong with the route; the router refuses a table with errors.</summary>
    public IReadOnlyList<string> Errors { get; }

    /// <summary>True when the route has no errors.</summary>
    public bool IsValid => Errors.Count == 0;

    /// <summary>
    /// Checks a route against the active handlers. Standard phases with no handler pass messages
    /// through; a custom phase with no handler, a next phase that does not exist, a cycle, or a
    /// path that never reaches <c>done</c> is an error, as is a handler of a phase off the route.
    /// </summary>
    /// <param name="route">Phase → next phase, from <c>[core.route]</c>.</param>
    /// <param name="handlers">The active handlers, in configured order.</param>
    /// <param name="errors">Every problem found; empty when the route is usable.</param>
    /// <returns>The table (with <see cref="Errors"/> set; only a valid table can drive a router).</returns>
    public static RouteTable Build(
        IReadOnlyDictionary<string, string> route,
        IReadOnlyList<HandlerRegistration> handlers,
        out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(route);
        ArgumentNullException.ThrowIfNull(handlers);
        var problems = new List<string>();
        var next = route.ToFrozenDictionary(StringComparer.Ordinal);

        var byPhase = new Dictionary<string, List<HandlerRegistration>>(StringComparer.Ordinal);
        foreach (var handler in handlers)
        {
            if (!byPhase.TryGetValue(handler.Phase, out var list))
            {
                byPhase[handler.Phase] = list = [];
            }

            list.Add(handler);
            if (handler.Phase == FinalPhase)
            {
                problems.Add($"plugin '{handler.PluginName}' handles phase 'done', which is final: no handler runs there");
            }
            else if (!next.ContainsKey(handler.Phase))
            {
                problems.Add($"plugin '{handler.PluginName}' handles phase '{handler.Phase}', which is not on the route ([core.route] has {Known(next)})");
            }
        }

        if (next.Count == 0)
        {
            problems.Add("[core.route] is empty: at least one phase must lead to 'done'");
        }

        if (next.ContainsKey(FinalPhase))
        {
            problems.Add("[core.route] gives a next phase for 'done', which is final");
        }

        foreach (var (phase, target) in next)
        {
            if (target != FinalPhase && !next.ContainsKey(target))
            {
                problems.Add($"phase '{phase}' routes to '{target}', which is neither a phase of [core.route] ({Known(next)}) nor 'done'");
            }

            if (!StandardPhases.Contains(phase) && phase != FinalPhase && !byPhase.ContainsKey(phase))
            {
                problems.Add($"custom phase '{phase}' has no active handler (only consume, enrich and publish pass messages through)");
            }
        }

        FindCycles(next, problems);
        var firstPhase = FindFirstPhase(next, problems);
        var path = new List<string>();
        if (firstPhase.Length > 0)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var phase = firstPhase; phase != FinalPhase && next.ContainsKey(phase) && seen.Add(phase); phase = next[phase])
            {
                path.Add(phase);
            }
        }

        var onPath = path.ToHashSet(StringComparer.Ordinal);
        var unreachable = next.Keys.Where(p => p != FinalPhase && !onPath.Contains(p)).Order(StringComparer.Ordinal).ToList();
        if (firstPhase.Length > 0)
        {
            // A handler no message can reach would silently never run.
            foreach (var handler in handlers.Where(h => next.ContainsKey(h.Phase) && !onPath.Contains(h.Phase)))
            {
                problems.Add($"plugin '{handler.PluginName}' handles phase '{handler.Phase}', which no message reaches from '{firstPhase}'");
            }
        }

        var frozenHandlers = byPhase.ToFrozenDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
        errors = problems;
        return new RouteTable(firstPhase, path, unreachable, next, frozenHandlers, problems);
    }

    /// <summary>The phase after <paramref name="phase"/>.</summary>
    /// <param name="phase">A phase of the route.</param>
    /// <returns>The next phase, or <c>done</c>.</returns>
    public string NextPhase(string phase) => _next[phase];

    /// <summary>The handlers of a phase, in configured order; empty for a pass-through phase.</summary>
    /// <param name="phase">A phase.</param>
    /// <returns>The handlers.</returns>
    public IReadOnlyList<HandlerRegistration> HandlersOf(string phase) =>
        _handlers.TryGetValue(phase, out var list) ? list : [];

    /// <summary>The route as text for <c>gordon validate</c>: the path, then each phase and its handlers.</summary>
    /// <returns>Several lines.</returns>
    public string Describe()
    {
        var text = new StringBuilder();
        text.Append("route: ").AppendJoin(" -> ", Phases);
        if (Phases.Count > 0 && NextPhase(Phases[^1]) == FinalPhase)
        {
            text.Append(" -> ").Append(FinalPhase);
        }

        text.AppendLine();
        var width = Phases.Concat(UnreachablePhases).Select(p => p.Length).DefaultIfEmpty(0).Max();
        foreach (var phase in Phases)
        {
            var handlers = HandlersOf(phase);
            var what = handlers.Count == 0 ? "pass-through (no active handler)" : string.Join(", ", handlers.Select(h => h.PluginName));
            text.Append("  ").Append(phase.PadRight(width)).Append("  ").AppendLine(what);
        }

        foreach (var phase in UnreachablePhases)
        {
            text.Append("  ").Append(phase.PadRight(width)).Append(CultureInfo.InvariantCulture, $"  not reachable from '{FirstPhase}'").AppendLine();
        }

        foreach (var error in Errors)
        {
            text.Append("  error: ").AppendLine(error);
        }

        return text.ToString();
    }

    private static string Known(FrozenDictionary<string, string> next) =>
        next.Count == 0 ? "no phases" : string.Join(", ", next.Keys.Order(StringComparer.Ordinal).Select(k => "'" + k + "'"));

    // Each phase has one successor, so following it from every phase finds every cycle; each cycle
    // is reported once, by its members in route order.
    private static void FindCycles(FrozenDictionary<string, string> next, List<string> problems)
    {
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var start in next.Keys)
        {
            var order = new List<string>();
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var phase = start; next.TryGetValue(phase, out var target) && phase != FinalPhase; phase = target)
            {
                if (index.TryGetValue(phase, out var at))
                {
                    var cycle = order.Skip(at).ToList();
                    if (cycle.TrueForAll(reported.Add))
                    {
                        problems.Add($"the route has a cycle, so messages never reach 'done': {string.Join(" -> ", cycle)} -> {cycle[0]}");
                    }

                    break;
                }

                index[phase] = order.Count;
                order.Add(phase);
            }
        }
    }

    // Runnables emit into 'consume'; a route without it starts at its one phase that nothing routes to.
    private static string FindFirstPhase(FrozenDictionary<string, string> next, List<string> problems)
    {
        if (next.ContainsKey(ConsumePhase))
        {
            return ConsumePhase;
        }

        var targets = next.Values.ToHashSet(StringComparer.Ordinal);
        var roots = next.Keys.Where(p => !targets.Contains(p)).Order(StringComparer.Ordinal).ToList();
        if (roots.Count == 1)
        {
            return roots[0];
        }

        if (next.Count > 0)
        {
            problems.Add(roots.Count == 0
                ? "the route has no first phase: every phase is the next of another (add 'consume')"
                : $"the route has no 'consume' phase and several start phases ({string.Join(", ", roots)}): name one 'consume'");
        }

        return string.Empty;
    }
}
