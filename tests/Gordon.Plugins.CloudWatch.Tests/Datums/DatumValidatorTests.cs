using Gordon.Plugins.CloudWatch.Datums;

namespace Gordon.Plugins.CloudWatch.Tests.Datums;

public sealed class DatumValidatorTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static IEnumerable<TestCaseData> Bad()
    {
        yield return new TestCaseData(Datum(value: double.NaN), "invalid").SetName("NaN");
        yield return new TestCaseData(Datum(value: double.PositiveInfinity), "invalid").SetName("PositiveInfinity");
        yield return new TestCaseData(Datum(value: double.NegativeInfinity), "invalid").SetName("NegativeInfinity");
        yield return new TestCaseData(Datum(value: Math.Pow(2, 361)), "invalid").SetName("BeyondTwoToThe360");
        yield return new TestCaseData(Datum(name: string.Empty), "invalid").SetName("EmptyName");
        yield return new TestCaseData(Datum(name: new string('n', 256)), "invalid").SetName("NameOf256");
        yield return new TestCaseData(Datum(dimension: new Dimension("Cluster", string.Empty)), "invalid").SetName("EmptyDimensionValue");
        yield return new TestCaseData(Datum(dimension: new Dimension(string.Empty, "x")), "invalid").SetName("EmptyDimensionName");
        yield return new TestCaseData(Datum(dimension: new Dimension("D", new string('v', 1025))), "invalid").SetName("DimensionValueOf1025");
        yield return new TestCaseData(Datum(at: Now.AddDays(-15)), "too_old").SetName("FifteenDaysOld");
        yield return new TestCaseData(Datum(at: Now.AddHours(3)), "future").SetName("ThreeHoursAhead");
    }

    [TestCaseSource(nameof(Bad))]
    public void Check_BadDatum_GivesTheReason(object datum, string reason)
    {
        // object: the datum type is internal, and a public test method cannot name it.
        var problem = DatumValidator.Check((MetricDatum)datum, Now);

        Assert.That(problem?.Reason, Is.EqualTo(reason));
        Assert.That(problem?.Detail, Is.Not.Empty);
    }

    [Test]
    public void Check_GoodDatums_Pass()
    {
        Assert.That(DatumValidator.Check(Datum(), Now), Is.Null);
        Assert.That(DatumValidator.Check(Datum(value: -1e100, at: Now.AddDays(-13)), Now), Is.Null);
        Assert.That(DatumValidator.Check(Datum(value: 0, dimension: new Dimension("D", "ü \"x\"")), Now), Is.Null);
    }

    [Test]
    public void Check_ThirtyOneDimensions_IsInvalid()
    {
        var datum = new MetricDatum("M", [.. Enumerable.Range(0, 31).Select(i => new Dimension("D" + i, "v"))], 1, null, Now);

        Assert.That(DatumValidator.Check(datum, Now)?.Reason, Is.EqualTo("invalid"));
    }

    private static MetricDatum Datum(string name = "TotalLag", double value = 1, Dimension? dimension = null, DateTimeOffset? at = null) =>
        new(name, [dimension ?? new Dimension("Cluster", "c")], value, "Count", at ?? Now);
}
