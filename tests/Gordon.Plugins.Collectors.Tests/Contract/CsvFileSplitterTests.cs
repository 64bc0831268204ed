using Gordon.Abstractions.Collectors;
using Gordon.Plugins.Collectors.Tests.Support;

namespace Gordon.Plugins.Collectors.Tests.Contract;

/// <summary>Part C, the splitter: header in every part, header-only last part dropped, bare name for one part.</summary>
public sealed class CsvFileSplitterTests
{
    private TempDirectory _directory = null!;

    [SetUp]
    public void SetUp() => _directory = new TempDirectory();

    [TearDown]
    public void TearDown() => _directory.Dispose();

    [Test]
    public async Task Splitter_RepeatsTheHeaderInEveryPart_AndClosesAPartAfterTheWriteThatReachesTheLimit()
    {
        var path = _directory.Combine("table.csv");
        var splitter = new CsvFileSplitter(path, 25);
        await splitter.WriteAsync("head\n");
        foreach (var row in new[] { "r0001\n", "r0002\n", "r0003\n", "r0004\n", "r0005\n", "r0006\n" })
        {
            await splitter.WriteAsync(row);
        }

        var files = await splitter.CompleteAsync();

        Assert.That(files, Is.EqualTo(new[] { path + "_split0", path + "_split1" }));
        Assert.Multiple(() =>
        {
            // 5 + 6 + 6 + 6 = 23 < 25, the fourth row brings it to 29: the first part exceeds the limit by one write.
            Assert.That(File.ReadAllText(files[0]), Is.EqualTo("head\nr0001\nr0002\nr0003\nr0004\n"));
            Assert.That(File.ReadAllText(files[1]), Is.EqualTo("head\nr0005\nr0006\n"));
        });
    }

    [Test]
    public async Task Splitter_DropsALastPartHoldingOnlyTheHeader()
    {
        var path = _directory.Combine("table.csv");
        var splitter = new CsvFileSplitter(path, 10);
        await splitter.WriteAsync("head\nrow01\n");
        await splitter.WriteAsync("row02\n");

        var files = await splitter.CompleteAsync();

        Assert.Multiple(() =>
        {
            Assert.That(files, Is.EqualTo(new[] { path + "_split0", path + "_split1" }));
            Assert.That(File.ReadAllText(files[1]), Is.EqualTo("head\nrow02\n"));
            Assert.That(File.Exists(path + "_split2"), Is.False);
        });
    }

    [Test]
    public async Task Splitter_SinglePart_UsesTheBareName()
    {
        var path = _directory.Combine("table.csv");
        var splitter = new CsvFileSplitter(path, 1000);
        await splitter.WriteAsync("head\nrow01\n");

        var files = await splitter.CompleteAsync();

        Assert.Multiple(() =>
        {
            Assert.That(files, Is.EqualTo(new[] { path }));
            Assert.That(File.ReadAllText(path), Is.EqualTo("head\nrow01\n"));
            Assert.That(File.Exists(path + "_split0"), Is.False);
        });
    }

    [Test]
    public async Task Splitter_HeaderOnly_GivesNoFiles()
    {
        var splitter = new CsvFileSplitter(_directory.Combine("table.csv"), 1000);
        await splitter.WriteAsync("head\n");

        Assert.That(await splitter.CompleteAsync(), Is.Empty);
        Assert.That(Directory.GetFiles(_directory.Path), Is.Empty);
    }

    [Test]
    public async Task Splitter_NothingWritten_GivesNoFiles()
    {
        var splitter = new CsvFileSplitter(_directory.Combine("table.csv"), 1000);

        Assert.That(await splitter.CompleteAsync(), Is.Empty);
    }

    [Test]
    public void Splitter_FirstWriteWithoutANewline_IsRejected()
    {
        var splitter = new CsvFileSplitter(_directory.Combine("table.csv"), 1000);

        Assert.That(async () => await splitter.WriteAsync("head"), Throws.ArgumentException.With.Message.Contains("header line"));
    }
}
