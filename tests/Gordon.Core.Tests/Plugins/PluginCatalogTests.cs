using System.Globalization;
using System.Runtime.Loader;
using Gordon.Abstractions.Plugins;
using Gordon.Core.Plugins;
using Gordon.Core.Tests.Support;
using Gordon.Fixtures.Shared;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gordon.Core.Tests.Plugins;

[Category("Plugins")]
public sealed class PluginCatalogTests
{
    [Test]
    public void Discover_PluginFolder_FindsRunnableAndHandlerWithAttributeData()
    {
        using var dir = new PluginTestDirectory();
        var dll = dir.AddFolder("GoodPlugin");

        using var catalog = PluginCatalog.Discover([dir.Root], NullLogger.Instance);

        Assert.That(catalog.Failures, Is.Empty);
        Assert.That(catalog.Plugins, Has.Count.EqualTo(1));
        var good = catalog.Plugins[0];
        Assert.Multiple(() =>
        {
            Assert.That(good.Name, Is.EqualTo("good"));
            Assert.That(good.Kind, Is.EqualTo(PluginKind.Runnable | PluginKind.Handler));
            Assert.That(good.Phase, Is.EqualTo("enrich"));
            Assert.That(good.Version, Is.EqualTo("0.1.0"));
            Assert.That(good.Description, Is.EqualTo("Fixture: runnable and handler"));
            Assert.That(good.AssemblyPath, Is.EqualTo(dll));
            Assert.That(Path.IsPathFullyQualified(good.AssemblyPath), Is.True);
        });
    }

    [Test]
    public void Discover_PluginAssembly_HasItsOwnLoadContextAndSharesTheContract()
    {
        using var dir = new PluginTestDirectory();
        dir.AddFolder("GoodPlugin");

        using var catalog = PluginCatalog.Discover([dir.Root], NullLogger.Instance);

        var type = catalog.Plugins.Single().PluginType;
        Assert.Multiple(() =>
        {
            Assert.That(AssemblyLoadContext.GetLoadContext(type.Assembly), Is.Not.SameAs(AssemblyLoadContext.Default));
            Assert.That(typeof(IRunnable).IsAssignableFrom(type), Is.True, "IRunnable must have one identity in host and plugin");
        });
    }

    [Test]
    public void Discover_SingleDllInPluginDirectory_IsLoaded()
    {
        using var dir = new PluginTestDirectory();
        var dll = dir.AddSingleDll("MisfitPlugins");

        using var catalog = PluginCatalog.Discover([dir.Root], NullLogger.Instance);

        Assert.That(catalog.Plugins.Select(p => p.Name), Is.EquivalentTo(new[] { "throwing", "nophase" }));
        Assert.That(catalog.Plugins.Select(p => p.AssemblyPath), Has.All.EqualTo(dll));
    }

    [Test]
    public void Discover_FolderWithoutMatchingDll_IsSkipped()
    {
        using var dir = new PluginTestDirectory();
        dir.AddFolder("GoodPlugin");
        File.Move(dir.PathOf("GoodPlugin/GoodPlugin.dll"), dir.PathOf("GoodPlugin/Renamed.dll"));

        using var catalog = PluginCatalog.Discover([dir.Root], NullLogger.Instance);

        Assert.That(catalog.Plugins, Is.Empty);
        Assert.That(catalog.Failures, Is.Empty);
    }

    [Test]
    public void Discover_MissingDirectory_FindsNothing()
    {
        using var dir = new PluginTestDirectory();

        using var catalog = PluginCatalog.Discover([dir.PathOf("nope")], NullLogger.Instance);

        Assert.That(catalog.Plugins, Is.Empty);
        Assert.That(catalog.Failures, Is.Empty);
    }

    [Test]
    public void Discover_CorruptDll_IsReportedWithPathAndSkipped()
    {
        using var dir = new PluginTestDirectory();
        dir.AddFolder("GoodPlugin");
        var corrupt = dir.AddCorruptDll("Broken/Broken.dll");
        var single = dir.AddCorruptDll("Garbage.dll");

        using var catalog = PluginCatalog.Discover([dir.Root], NullLogger.Instance);

        Assert.That(catalog.Plugins.Select(p => p.Name), Is.EqualTo(new[] { "good" }));
        Assert.That(catalog.Failures.Select(f => f.AssemblyPath), Is.EquivalentTo(new[] { corrupt, single }));
        Assert.That(catalog.Failures.Select(f => f.PluginName), Has.All.Null);
        Assert.That(catalog.Failures.Select(f => f.Cause), Has.All.StartsWith("not a readable .NET assembly"));
    }

    [Test]
    public void Discover_MissingDependency_IsReportedNamingTheDependency()
    {
        using var dir = new PluginTestDirectory();
        var dll = dir.AddFolder("GoodPlugin");
        File.Delete(dir.PathOf("GoodPlugin/Gordon.Fixtures.Helper.dll"));

        using var catalog = PluginCatalog.Discover([dir.Root], NullLogger.Instance);

        Assert.That(catalog.Plugins, Is.Empty);
        var failure = catalog.Failures.Single();
        Assert.Multiple(() =>
        {
            Assert.That(failure.AssemblyPath, Is.EqualTo(dll));
            Assert.That(failure.PluginName, Is.EqualTo("good"));
            Assert.That(failure.Cause, Does.StartWith("missing dependency Gordon.Fixtures.Helper"));
        });
    }

    // hostSays is a composite format: {0} the host's contract major, {1} its minor, {2} its Gordon.Abstractions version.
    [TestCase("FutureContractPlugin", "built for plugin contract 2 (Gordon.Abstractions 2.0.0.0)", "this host has contract 1 (Gordon.Abstractions {2})")]
    [TestCase("NextMinorContractPlugin", "built for plugin contract 1.999 (Gordon.Abstractions 1.999.0.0)", "newer than this host's contract {0}.{1} (Gordon.Abstractions {2})")]
    public void Discover_OtherContractMajorOrLaterMinor_IsRefusedSayingBothVersions(string fixture, string builtFor, string hostSays)
    {
        using var dir = new PluginTestDirectory();
        var dll = dir.AddFolder(fixture);
        var host = string.Format(
            CultureInfo.InvariantCulture,
            hostSays,
            Gordon.Abstractions.ContractVersion.Major,
            Gordon.Abstractions.ContractVersion.Minor,
            typeof(Gordon.Abstractions.ContractVersion).Assembly.GetName().Version);

        using var catalog = PluginCatalog.Discover([dir.Root], NullLogger.Instance);

        Assert.That(catalog.Plugins, Is.Empty);
        var failure = catalog.Failures.Single();
        Assert.Multiple(() =>
        {
            Assert.That(failure.AssemblyPath, Is.EqualTo(dll));
            Assert.That(failure.PluginName, Is.EqualTo("future"));
            Assert.That(failure.Cause, Does.Contain(builtFor));
            Assert.That(failure.Cause, Does.Contain(host));
        });
    }

    [Test]
    public void Discover_NoContextConstructor_IsReportedWithPathAndCause()
    {
        using var dir = new PluginTestDirectory();
        var dll = dir.AddFolder("MisfitPlugins");

        using var catalog = PluginCatalog.Discover([dir.Root], NullLogger.Instance);

        var failure = catalog.Failures.Single(f => f.PluginName == "noctor");
        Assert.That(failure.AssemblyPath, Is.EqualTo(dll));
        Assert.That(failure.Cause, Does.Contain("NoContextConstructorPlugin has no public constructor taking a PluginContext"));
        Assert.That(catalog.Plugins.Select(p => p.Name), Does.Not.Contain("noctor"));
    }

    [Test]
    public void Discover_NeitherRunnableNorHandler_IsReportedWithPathAndCause()
    {
        using var dir = new PluginTestDirectory();
        var dll = dir.AddFolder("MisfitPlugins");

        using var catalog = PluginCatalog.Discover([dir.Root], NullLogger.Instance);

        var failure = catalog.Failures.Single(f => f.PluginName == "neither");
        Assert.That(failure.AssemblyPath, Is.EqualTo(dll));
        Assert.That(failure.Cause, Does.Contain("NeitherPlugin implements none of IRunnable, IMessageHandler and ICommandLinePlugin"));
        Assert.That(catalog.Plugins.Select(p => p.Name), Does.Not.Contain("neither"));
    }

    [Test]
    public void Discover_SameNameInTwoDirectories_IsADuplicateNamingBothPaths()
    {
        using var dir = new PluginTestDirectory();
        var first = dir.AddFolder("GoodPlugin", "a");
        var second = dir.AddFolder("GoodPlugin", "b");

        using var catalog = PluginCatalog.Discover([dir.PathOf("a"), dir.PathOf("b")], NullLogger.Instance);

        var duplicate = catalog.Duplicates.Single();
        Assert.That(duplicate.Name, Is.EqualTo("good"));
        Assert.That(duplicate.AssemblyPaths, Is.EqualTo(new[] { first, second }));
        Assert.That(catalog.TryFind("good", out _), Is.False);
    }

    [Test]
    public void Discover_SameDirectoryTwice_IsNotADuplicate()
    {
        using var dir = new PluginTestDirectory();
        dir.AddFolder("GoodPlugin");

        using var catalog = PluginCatalog.Discover([dir.Root, dir.Root + "/"], NullLogger.Instance);

        Assert.That(catalog.Duplicates, Is.Empty);
        Assert.That(catalog.TryFind("good", out _), Is.True);
    }

    [Test]
    [CancelAfter(5000)]
    public async Task Discover_PrivateDependency_PluginSeesItsOwnVersionWhileHostHasAnother(CancellationToken cancellationToken)
    {
        using var dir = new PluginTestDirectory();
        dir.AddFolder("PrivateDepPlugin");
        using var catalog = PluginCatalog.Discover([dir.Root], NullLogger.Instance);
        var host = new PluginTestHost();

        var result = host.Activate(catalog, ["privatedep"]);
        await result.Plugins.Single().Runnable!.RunAsync(cancellationToken);

        Assert.That(SharedInfo.Version, Is.EqualTo("2.0"), "the test host itself references v2");
        Assert.That(result.Errors, Is.Empty);
        var emitted = host.Sink.Events.Single();
        Assert.That(emitted.TryGetTrait("shared_version", out var trait), Is.True);
        Assert.That(trait.StringValue, Is.EqualTo("1.0"));
        var pluginShared = catalog.Plugins.Single().PluginType.GetProperty("SharedAssemblyVersion")!.GetValue(null);
        Assert.That(pluginShared, Is.EqualTo(new Version(1, 0, 0, 0)));
    }
}
