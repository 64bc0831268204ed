namespace Gordon.Plugins.Prometheus.Daemon;

/// <summary>Where an <see cref="InstrumentExport"/> reports what it could not export.</summary>
internal interface IExportProblems
{
    /// <summary>A measurement with a new label set was dropped: the instrument has too many.</summary>
    void Refused();

    /// <summary>The family could not be made (its name is taken by a family with other labels); the instrument is not exported.</summary>
    /// <param name="metricName">The metric name.</param>
    /// <param name="error">Why.</param>
    void Failed(string metricName, Exception error);
}
