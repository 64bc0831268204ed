namespace Gordon.Plugins.Burrow.Poller;

/// <summary>What one poll did.</summary>
/// <param name="Reachable">Burrow answered the cluster list.</param>
/// <param name="Groups">Groups that passed the filters and were polled.</param>
/// <param name="Emitted">Reports emitted.</param>
/// <param name="NotFound">Groups Burrow no longer knew (404 or NOTFOUND), skipped.</param>
/// <param name="Errors">One line per failure.</param>
internal sealed record PollSummary(bool Reachable, int Groups, int Emitted, int NotFound, IReadOnlyList<string> Errors);
