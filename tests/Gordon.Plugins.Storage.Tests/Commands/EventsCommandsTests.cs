using System.Text.Json;
using Gordon.Plugins.Storage.Tests.Support;

namespace Gordon.Plugins.Storage.Tests.Commands;

[TestFixture]
public sealed class EventsCommandsTests
{
    private PluginHarness _harness = null!;

    [SetUp]
    public async Task LoadAsync()
    {
        _harness = new PluginHarness();
        await _harness.Plugin.StartAsync(CancellationToken.None);
        await _harness.Plugin.Store!.RecordEventsAsync(FixtureS.All(), CancellationToken.None);
    }

    [TearDown]
    public async Task StopAsync() => await _harness.DisposeAsync();

    [Test]
    public async Task List_TraitFilterAndJson_PrintsTheMatchingEventsInPankosShape()
    {
        var (exit, output, error) = await _harness.RunAsync(["events", "list"], new() { ["--trait"] = "trait_B:integer>=301", ["--format"] = "json" });

        Assert.That((exit, error), Is.EqualTo((0, string.Empty)));
        var ids = JsonDocument.Parse(output).RootElement.EnumerateArray().Select(e => e.GetProperty("message_id").GetString());
        Assert.That(ids, Is.EqualTo(new[] { FixtureS.Id(3), FixtureS.Id(4), FixtureS.Id(5) }));
    }

    [Test]
    public async Task List_Table_HasOneLinePerEventWithItsTraits()
    {
        var (exit, output, _) = await _harness.RunAsync(["events", "list"], new() { ["--type"] = "Bar", ["--limit"] = "1" });

        var lines = output.TrimEnd().Split('\n');
        Assert.That(exit, Is.Zero);
        Assert.That(lines, Has.Length.EqualTo(2));
        Assert.That(lines[1], Does.StartWith("2013-12-31T06:00:00").And.Contain("id_Bar_100").And.Contain("trait_B=101"));
    }

    [TestCase("--trait", "trait_B", "--trait 'trait_B': expected NAME[:TYPE]OPVALUE")]
    [TestCase("--trait", "trait_B:bool=1", "The data type bool is not supported")]
    [TestCase("--start", "yesterday", "Unable to convert the value yesterday to the expected data type datetime.")]
    [TestCase("--format", "xml", "--format must be table or json, got 'xml'")]
    public async Task List_BadOption_IsAUsageErrorNamingIt(string option, string value, string message)
    {
        var (exit, _, error) = await _harness.RunAsync(["events", "list"], new() { [option] = value });

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.Contain(message));
    }

    [Test]
    public async Task List_UnknownMarker_SaysSo()
    {
        var (exit, _, error) = await _harness.RunAsync(["events", "list"], new() { ["--marker"] = "nope" });

        Assert.That((exit, error.Trim()), Is.EqualTo((2, "gordon: Marker nope not found.")));
    }

    [Test]
    public async Task Show_PrintsTheEventOrSaysItIsMissing()
    {
        var found = await _harness.RunAsync(["events", "show"], [], new() { ["id"] = FixtureS.Id(1) });
        var missing = await _harness.RunAsync(["events", "show"], [], new() { ["id"] = "nope" });

        Assert.That(found.Exit, Is.Zero);
        Assert.That(JsonDocument.Parse(found.Output).RootElement.GetProperty("event_type").GetString(), Is.EqualTo("Bar"));
        Assert.That(missing.Exit, Is.EqualTo(1));
        Assert.That(missing.Error, Does.Contain("no event with message id 'nope'"));
    }

    [Test]
    public async Task TypesAndTraits_ListWhatIsStored()
    {
        var types = await _harness.RunAsync(["events", "types"], []);
        var traits = await _harness.RunAsync(["events", "traits"], [], new() { ["type"] = "Foo", ["trait"] = null });
        var values = await _harness.RunAsync(["events", "traits"], [], new() { ["type"] = "Foo", ["trait"] = "trait_B" });

        Assert.That(types.Output, Is.EqualTo("Bar\nFoo\nZoo\n"));
        Assert.That(traits.Output, Is.EqualTo("trait_A\tstring\ntrait_B\tinteger\ntrait_C\tfloat\ntrait_D\tdatetime\n"));
        Assert.That(values.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EquivalentTo(new[] { "1\tinteger", "301\tinteger" }));
    }
}
