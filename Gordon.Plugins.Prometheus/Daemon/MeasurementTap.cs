namespace Gordon.Plugins.Prometheus.Daemon;

/// <summary>Reads a measurement for a derived series (Karrot's reporter counters).</summary>
/// <param name="value">The measurement.</param>
/// <param name="tags">Its tags.</param>
internal delegate void MeasurementTap(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags);
