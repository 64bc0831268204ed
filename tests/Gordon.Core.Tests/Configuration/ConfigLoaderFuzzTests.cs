using System.Text;
using Gordon.Abstractions.Configuration;
using Gordon.Core.Configuration;
using Gordon.Core.Hosting;
using Gordon.Core.Metrics;
using Gordon.Core.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gordon.Core.Tests.Configuration;

/// <summary>
/// Seeded mutations of the shipped config as gordon-user.toml: whatever an operator's editor leaves behind, loading
/// either succeeds or fails with problems that name a key or a file position, never with another exception.
/// </summary>
public sealed class ConfigLoaderFuzzTests
{
    private const int Inputs = 3000;

    private static readonly string[] Fragments =
    [
        "[", "]", "[[", "]]", "=", "\"", "'", "\"\"\"", "#", "\n", "{", "}", ",", ".", "\\", "\\u0000", "${", "${NOPE}", "$${",
        "true", "-1", "1e999", "9223372036854775808", "nan", "inf", "1979-05-27T07:32:00Z", "\"1s\"", "\"-5s\"", "\"99999TiB\"",
        "[core]", "[core.http]", "[core.spool]", "[core.router]", "[core.route]", "[core.logging.levels]", "plugins = [1]",
        "listen = \"https://[::1]:0\"", "capacity = 0", "fsync = \"never\"", "max_size = -1", "state_dir = \"\"", "a.b.c = 1",
        "\u00e9", "\ud83d\ude00", "\uFEFF",
    ];

    [Test]
    [CancelAfter(120_000)]
    public void Load_MutatedConfig_IsLoadedOrRejectedWithNamedProblems_NeverThrowsAnythingElse(CancellationToken cancellationToken)
    {
        var shipped = File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "..", "..", "..", "..", "..", "gordon.toml"));
        var random = new Random(20261123);
        var loaded = 0;
        var rejected = 0;
        using var root = new ConfigTempRoot();
        using var metrics = new MetricRelay(TimeProvider.System);
        for (var i = 0; i < Inputs && !cancellationToken.IsCancellationRequested; i++)
        {
            var input = Mutate(shipped, random);
            File.WriteAllBytes(root.User, input);
            try
            {
                var config = new ConfigLoader(_ => null).Load(root.Path);

                // A config that loads must also survive building the pipeline from it (option readers, route).
                using var blueprint = new PipelineFactory(NullLoggerFactory.Instance, metrics, TimeProvider.System).Build(config, strictFlag: false);
                loaded++;
            }
            catch (ConfigException e)
            {
                rejected++;
                Assert.That(e.Problems, Is.Not.Empty, $"input {i}");
                Assert.That(e.Problems.All(p => p.KeyPath.Length > 0 || p.Location is not null), Is.True, $"input {i}: {string.Join("; ", e.Problems)}");
            }
            catch (Exception e)
            {
                Assert.Fail($"input {i} threw {e.GetType().Name}: {e.Message}\n--- input ---\n{Encoding.UTF8.GetString(input)}");
            }
        }

        TestContext.Out.WriteLine($"config fuzz: {loaded + rejected} inputs tried, {loaded} loaded, {rejected} rejected with named problems");
        Assert.That(loaded + rejected, Is.EqualTo(Inputs));
        Assert.That(rejected, Is.GreaterThan(Inputs / 10), "the mutations should break most files");
    }

    private static byte[] Mutate(string shipped, Random random)
    {
        var text = new StringBuilder(shipped);
        var edits = random.Next(1, 6);
        for (var e = 0; e < edits; e++)
        {
            var at = random.Next(text.Length + 1);
            switch (random.Next(5))
            {
                case 0:
                    text.Insert(at, Fragments[random.Next(Fragments.Length)]);
                    break;
                case 1 when text.Length > 0:
                    text.Remove(Math.Min(at, text.Length - 1), Math.Min(random.Next(1, 40), text.Length - Math.Min(at, text.Length - 1)));
                    break;
                case 2:
                    text.Length = Math.Min(at, text.Length);
                    break;
                case 3:
                    text.Insert(at, "\n" + Fragments[random.Next(Fragments.Length)] + " = " + Fragments[random.Next(Fragments.Length)] + "\n");
                    break;
                default:
                    text.Insert(at, "\n[" + Fragments[random.Next(Fragments.Length)] + "]\n");
                    break;
            }
        }

        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        if (random.Next(10) == 0 && bytes.Length > 0)
        {
            // Invalid UTF-8, as a binary paste or a broken editor leaves it.
            bytes[random.Next(bytes.Length)] = 0xC3;
        }

        return bytes;
    }
}
