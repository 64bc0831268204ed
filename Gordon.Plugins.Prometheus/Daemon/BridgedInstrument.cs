namespace Gordon.Plugins.Prometheus.Daemon;

/// <summary>What a measurement of one instrument feeds: its own family, a derived series, or both.</summary>
/// <param name="Export">The family, or null when only a derived series reads the instrument.</param>
/// <param name="Tap">The derived series, or null.</param>
internal sealed record BridgedInstrument(InstrumentExport? Export, MeasurementTap? Tap)
{
    /// <summary>Records a measurement.</summary>
    /// <param name="value">The measurement.</param>
    /// <param name="tags">Its tags.</param>
    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        Export?.Record(value, tags);
        Tap?.Invoke(value, tags);
    }
}
