using System.Text.Json;

namespace Gordon.Plugins.CloudWatch.Tests.Emf;

/// <summary>Checks a line against the Embedded Metric Format specification's required structure.</summary>
internal static class EmfAssert
{
    /// <summary>Asserts the EMF rules and returns the parsed document.</summary>
    public static JsonElement ValidDocument(string line)
    {
        var root = JsonDocument.Parse(line).RootElement.Clone();
        Assert.That(root.ValueKind, Is.EqualTo(JsonValueKind.Object), "an EMF document is one JSON object");
        var aws = root.GetProperty("_aws");
        Assert.That(aws.GetProperty("Timestamp").ValueKind, Is.EqualTo(JsonValueKind.Number), "_aws.Timestamp is a number (epoch ms)");
        var directives = aws.GetProperty("CloudWatchMetrics");
        Assert.That(directives.ValueKind, Is.EqualTo(JsonValueKind.Array));
        foreach (var directive in directives.EnumerateArray())
        {
            var ns = directive.GetProperty("Namespace").GetString();
            Assert.That(ns, Has.Length.InRange(1, 255), "Namespace");
            var dimensionSets = directive.GetProperty("Dimensions");
            Assert.That(dimensionSets.ValueKind, Is.EqualTo(JsonValueKind.Array));
            foreach (var set in dimensionSets.EnumerateArray())
            {
                Assert.That(set.ValueKind, Is.EqualTo(JsonValueKind.Array), "a DimensionSet is an array of names");
                Assert.That(set.GetArrayLength(), Is.LessThanOrEqualTo(30));
                foreach (var name in set.EnumerateArray())
                {
                    // Every referenced dimension is a string member of the root.
                    Assert.That(root.GetProperty(name.GetString()!).ValueKind, Is.EqualTo(JsonValueKind.String), $"dimension {name}");
                }
            }

            var metrics = directive.GetProperty("Metrics");
            Assert.That(metrics.GetArrayLength(), Is.InRange(1, 100));
            foreach (var metric in metrics.EnumerateArray())
            {
                var name = metric.GetProperty("Name").GetString()!;
                Assert.That(name, Has.Length.InRange(1, 255));
                if (metric.TryGetProperty("Unit", out var unit))
                {
                    Assert.That(unit.GetString(), Is.EqualTo("Count"));
                }

                if (metric.TryGetProperty("StorageResolution", out var resolution))
                {
                    Assert.That(resolution.GetInt32(), Is.AnyOf(1, 60));
                }

                // Every metric's value is a number member of the root (the target member).
                Assert.That(root.GetProperty(name).ValueKind, Is.EqualTo(JsonValueKind.Number), $"metric {name}");
            }
        }

        return root;
    }
}
