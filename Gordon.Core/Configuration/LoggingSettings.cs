using Microsoft.Extensions.Logging;

namespace Gordon.Core.Configuration;

/// <summary>The <c>[core.logging]</c> table.</summary>
/// <param name="Level">The minimum level of every category without its own.</param>
/// <param name="Format">How lines are written.</param>
/// <param name="Levels">Per-category (or per-plugin) levels from <c>[core.logging.levels]</c>, in file order.</param>
internal sealed record LoggingSettings(LogLevel Level, LogFormat Format, IReadOnlyDictionary<string, LogLevel> Levels);
