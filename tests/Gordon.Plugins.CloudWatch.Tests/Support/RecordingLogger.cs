using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Gordon.Plugins.CloudWatch.Tests.Support;

/// <summary>A logger provider that keeps every entry, for tests that check what was logged.</summary>
internal sealed class RecordingLogger : ILoggerProvider, ILogger
{
    private readonly ConcurrentQueue<(LogLevel Level, int EventId, string Message)> _entries = new();

    public IReadOnlyList<(LogLevel Level, int EventId, string Message)> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        _entries.Enqueue((logLevel, eventId.Id, formatter(state, exception)));
    }

    public bool Has(int eventId, string text) => _entries.Any(e => e.EventId == eventId && e.Message.Contains(text, StringComparison.Ordinal));

    public void Dispose()
    {
    }
}
