using Gordon.Core.Configuration;
using Gordon.Core.Hosting;
using Gordon.Core.Metrics;
using Gordon.Core.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gordon.Core.Tests.Hosting;

public sealed class PipelineFactoryTests
{
    [Test]
    public void Build_ConcurrencyKeyNamingNoPhaseOrHandler_IsReportedWithWhatItCouldName()
    {
        using var root = new ConfigTempRoot().WithDefaults(
            """
            [core]
            plugins = []

            [core.router.concurrency]
            pubish = 4
            publish = 2
            """);
        using var metrics = new MetricRelay(TimeProvider.System);
        var config = new ConfigLoader(_ => null).Load(root.Path);

        using var blueprint = new PipelineFactory(NullLoggerFactory.Instance, metrics, TimeProvider.System).Build(config, strictFlag: false);

        Assert.That(blueprint.Warnings, Has.One.Contains("[core.router.concurrency] pubish: names neither a phase of the route (consume, enrich, publish)"));
        Assert.That(blueprint.Warnings, Has.None.Contains("[core.router.concurrency] publish"));
    }
}
