using Gordon.Core.Plugins;
using Gordon.Core.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gordon.Core.Tests.Plugins;

[Category("Plugins")]
public sealed class PluginActivatorTests
{
    [Test]
    public void Activate_NamedPlugins_AreConstructedInConfiguredOrder()
    {
        using var dir = new PluginTestDirectory();
        dir.AddFolder("GoodPlugin");
        dir.AddFolder("PrivateDepPlugin");
        using var catalog = PluginCatalog.Discover([dir.Root], NullLogger.Instance);
        var host = new PluginTestHost();

        var result = host.Activate(catalog, ["privatedep", "good"]);

        Assert.That(result.Errors, Is.Empty);
        Assert.That(result.Plugins.Select(p => p.Name), Is.EqualTo(new[] { "privatedep", "good" }));
        Assert.That(host.ContextsBuilt, Is.EqualTo(new[] { "privatedep", "good" }));
        Assert.Multiple(() =>
        {
            var good = result.Plugins[1];
            Assert.That(good.Runnable, Is.Not.Null);
            Assert.That(good.Handler, Is.Not.Null);
            Assert.That(good.Endpoints, Is.Null);
            Assert.That(good.Context.Name, Is.EqualTo("good"));
            Assert.That(good.Phase, Is.EqualTo("enrich"));
            Assert.That(result.Plugins[0].Handler, Is.Null);
            Assert.That(result.Plugins[0].Phase, Is.Null);
        });
    }

    [Test]
    public void Activate_InactivePlugins_AreNotConstructed()
    {
        using var dir = new PluginTestDirectory();
        dir.AddFolder("GoodPlugin");
        dir.AddFolder("MisfitPlugins");
        using var catalog = PluginCatalog.Discover([dir.Root], NullLogger.Instance);
        var host = new PluginTestHost();

        // "throwing" is loaded but not named: were it constructed, its constructor would throw and report an error.
        var result = host.Activate(catalog, ["good"]);

        Assert.That(result.Errors, Is.Empty);
        Assert.That(host.ContextsBuilt, Is.EqualTo(new[] { "good" }));
        Assert.That(result.Plugins.Select(p => p.Name), Is.EqualTo(new[] { "good" }));
    }

    [Test]
    [CancelAfter(5000)]
    public async Task Activate_GoodPlugin_RunsAndHandlesThroughTheContract(CancellationToken cancellationToken)
    {
        using var dir = new PluginTestDirectory();
        dir.AddFolder("GoodPlugin");
        using var catalog = PluginCatalog.Discover([dir.Root], NullLogger.Instance);
        var host = new PluginTestHost();
        host.Configure("good", ("greeting", "ahoy"), ("count", 2L));

        var result = host.Activate(catalog, ["good"]);
        await result.Plugins.Single().Runnable!.RunAsync(cancellationToken);

        Assert.That(result.Errors, Is.Empty);
        Assert.That(result.Warnings, Is.Empty);
        Assert.That(host.Sink.Events.Select(e => e.EventType), Is.EqualTo(new[] { "good.ping", "good.ping" }));
        Assert.That(host.Sink.Events.Select(e => e.Traits.Single().StringValue), Has.All.EqualTo("ahoy"));
    }

    [Test]
    public void Activate_NameNoAssemblyProvides_ErrorListsTheAvailableNames()
    {
        using var dir = new PluginTestDirectory();
        dir.AddFolder("GoodPlugin");
        dir.AddFolder("PrivateDepPlugin");
        using var catalog = PluginCatalog.Discover([dir.Root], NullLogger.Instance);
        var host = new PluginTestHost();

        var result = host.Activate(catalog, ["good", "promethues"]);

        Assert.That(result.Errors, Has.Count.EqualTo(1));
        Assert.That(result.Errors[0], Does.StartWith("plugin 'promethues' is named in [core] plugins, but no assembly"));
        Assert.That(result.Errors[0], Does.EndWith("available: good, privatedep"));
        Assert.That(result.Plugins.Select(p => p.Name), Is.EqualTo(new[] { "good" }));
    }

    [Test]
    public void Activate_DuplicateName_ErrorNamesBothPaths()
    {
        using var dir = new PluginTestDirectory();
        var first = dir.AddFolder("GoodPlugin", "a");
        var second = dir.AddFolder("GoodPlugin", "b");
        using var catalog = PluginCatalog.Discover([dir.PathOf("a"), dir.PathOf("b")], NullLogger.Instance);
        var host = new PluginTestHost();

        var result = host.Activate(catalog, ["good"]);

        Assert.That(result.Plugins, Is.Empty);
        Assert.That(result.Errors.Single(), Does.Contain("plugin 'good'").And.Contain(first).And.Contain(second));
        Assert.That(host.ContextsBuilt, Is.Empty);
    }

    [Test]
    public void Activate_ThrowingConstructor_IsReportedAndTheOthersStillActivate()
    {
        using var dir = new PluginTestDirectory();
        dir.AddFolder("GoodPlugin");
        var misfits = dir.AddFolder("MisfitPlugins");
        using var catalog = PluginCatalog.Discover([dir.Root], NullLogger.Instance);
        var host = new PluginTestHost();

        var result = host.Activate(catalog, ["throwing", "good"]);

        Assert.That(result.Plugins.Select(p => p.Name), Is.EqualTo(new[] { "good" }));
        Assert.That(
            result.Errors.Single(),
            Is.EqualTo($"plugin 'throwing' ({misfits}): its constructor failed: InvalidOperationException: fixture constructor always fails"));
    }

    [Test]
    public void Activate_NamedPluginThatFailedToLoad_IsAnErrorWithPathAndCause()
    {
        using var dir = new PluginTestDirectory();
        var misfits = dir.AddFolder("MisfitPlugins");
        using var catalog = PluginCatalog.Discover([dir.Root], NullLogger.Instance);
        var host = new PluginTestHost();

        var result = host.Activate(catalog, ["noctor"]);

        Assert.That(result.Plugins, Is.Empty);
        Assert.That(result.Errors.Single(), Does.StartWith($"plugin 'noctor' ({misfits}): class").And.Contain("no public constructor taking a PluginContext"));
        Assert.That(result.Warnings.Single(), Does.StartWith("plugin 'neither'").And.EndWith("(not in [core] plugins, ignored)"));
    }

    [Test]
    public void Activate_IncompatibleContractNamed_IsAnErrorSayingBothVersions()
    {
        using var dir = new PluginTestDirectory();
        dir.AddFolder("FutureContractPlugin");
        using var catalog = PluginCatalog.Discover([dir.Root], NullLogger.Instance);
        var host = new PluginTestHost();

        var result = host.Activate(catalog, ["future"]);

        Assert.That(result.Errors.Single(), Does.StartWith("plugin 'future' (").And.Contain("contract 2").And.Contain("host has contract 1"));
        Assert.That(result.Errors.Single(), Does.Not.Contain("no assembly"), "a failed load is not also reported as missing");
    }

    [Test]
    public void Activate_UnnamedFailure_IsAWarningWithoutStrictAndAnErrorWithStrict([Values] bool strict)
    {
        using var dir = new PluginTestDirectory();
        dir.AddFolder("GoodPlugin");
        var corrupt = dir.AddCorruptDll("Broken.dll");
        using var catalog = PluginCatalog.Discover([dir.Root], NullLogger.Instance);
        var host = new PluginTestHost();

        var result = host.Activate(catalog, ["good"], strict);

        Assert.That(result.Plugins.Select(p => p.Name), Is.EqualTo(new[] { "good" }));
        var (reported, quiet) = strict ? (result.Errors, result.Warnings) : (result.Warnings, result.Errors);
        Assert.That(reported.Single(), Does.StartWith($"{corrupt}: not a readable .NET assembly"));
        Assert.That(quiet, Is.Empty);
    }

    [Test]
    public void Activate_HandlerPhase_ComesFromTheAttribute()
    {
        using var dir = new PluginTestDirectory();
        dir.AddFolder("GoodPlugin");
        using var catalog = PluginCatalog.Discover([dir.Root], NullLogger.Instance);

        var result = new PluginTestHost().Activate(catalog, ["good"]);

        Assert.That(result.Plugins.Single().Phase, Is.EqualTo("enrich"));
    }

    [Test]
    public void Activate_PhaseKeyInConfig_OverridesTheAttributeAndIsNotUnknown()
    {
        using var dir = new PluginTestDirectory();
        dir.AddFolder("GoodPlugin");
        using var catalog = PluginCatalog.Discover([dir.Root], NullLogger.Instance);
        var host = new PluginTestHost();
        host.Configure("good", ("phase", "publish"));

        var result = host.Activate(catalog, ["good"]);

        Assert.That(result.Plugins.Single().Phase, Is.EqualTo("publish"));
        Assert.That(result.Warnings, Is.Empty);
        Assert.That(result.Errors, Is.Empty);
    }

    [Test]
    public void Activate_PhaseKeyOfWrongType_IsAConfigError()
    {
        using var dir = new PluginTestDirectory();
        dir.AddFolder("GoodPlugin");
        using var catalog = PluginCatalog.Discover([dir.Root], NullLogger.Instance);
        var host = new PluginTestHost();
        host.Configure("good", ("phase", 3L));

        var result = host.Activate(catalog, ["good"]);

        Assert.That(result.Plugins, Is.Empty);
        Assert.That(result.Errors.Single(), Is.EqualTo("plugin 'good': gordon-user.toml:2:1: key 'good.phase': expected a string, got integer 3"));
    }

    [Test]
    public void Activate_HandlerWithoutAnyPhase_IsAnActivationError()
    {
        using var dir = new PluginTestDirectory();
        var misfits = dir.AddFolder("MisfitPlugins");
        using var catalog = PluginCatalog.Discover([dir.Root], NullLogger.Instance);
        var host = new PluginTestHost();

        var result = host.Activate(catalog, ["nophase"]);

        Assert.That(result.Plugins, Is.Empty);
        Assert.That(result.Errors.Single(), Does.StartWith($"plugin 'nophase' ({misfits}) is a handler but has no phase"));
        Assert.That(host.ContextsBuilt, Is.Empty.Or.EqualTo(new[] { "nophase" }));
    }

    [Test]
    public void Activate_HandlerWithoutAttributePhase_TakesThePhaseKey()
    {
        using var dir = new PluginTestDirectory();
        dir.AddFolder("MisfitPlugins");
        using var catalog = PluginCatalog.Discover([dir.Root], NullLogger.Instance);
        var host = new PluginTestHost();
        host.Configure("nophase", ("phase", "publish"));

        var result = host.Activate(catalog, ["nophase"]);

        Assert.That(result.Errors, Is.Empty);
        Assert.That(result.Plugins.Single().Phase, Is.EqualTo("publish"));
    }

    [Test]
    public void Activate_ConfigProblemsOfThePlugin_AreErrorsByKeyPath()
    {
        using var dir = new PluginTestDirectory();
        dir.AddFolder("GoodPlugin");
        using var catalog = PluginCatalog.Discover([dir.Root], NullLogger.Instance);
        var host = new PluginTestHost();
        host.Configure("good", ("greeting", "hi"), ("count", "many"));

        var result = host.Activate(catalog, ["good"]);

        Assert.That(result.Plugins, Is.Empty);
        Assert.That(result.Errors.Single(), Is.EqualTo("plugin 'good': gordon-user.toml:3:1: key 'good.count': expected an integer, got string \"many\""));
    }

    [Test]
    public void Activate_UnknownConfigKeys_AreWarningsByFullKeyPath()
    {
        using var dir = new PluginTestDirectory();
        dir.AddFolder("GoodPlugin");
        using var catalog = PluginCatalog.Discover([dir.Root], NullLogger.Instance);
        var host = new PluginTestHost();
        host.Configure("good", ("greeting", "hi"), ("colour", "blue"));

        var result = host.Activate(catalog, ["good"]);

        Assert.That(result.Errors, Is.Empty);
        Assert.That(result.Plugins, Has.Count.EqualTo(1));
        Assert.That(result.Warnings.Single(), Does.StartWith("plugin 'good': gordon-user.toml:3:1: key 'good.colour': unknown key"));
    }

    [Test]
    public void Activate_NameListedTwice_IsAnError()
    {
        using var dir = new PluginTestDirectory();
        dir.AddFolder("GoodPlugin");
        using var catalog = PluginCatalog.Discover([dir.Root], NullLogger.Instance);
        var host = new PluginTestHost();

        var result = host.Activate(catalog, ["good", "good"]);

        Assert.That(result.Errors.Single(), Is.EqualTo("plugin 'good' is listed more than once in [core] plugins"));
        Assert.That(host.ContextsBuilt, Is.EqualTo(new[] { "good" }));
    }
}
