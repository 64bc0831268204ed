using System.Text;
using System.Text.Json;
using Gordon.Abstractions.Events;
using Gordon.Abstractions.Events.ConsumerLag;
using Gordon.Plugins.Burrow.Parsing;
using Gordon.Plugins.Burrow.Tests.Support;
using T = Gordon.Abstractions.Events.ConsumerLag.ConsumerStatusTraits;

namespace Gordon.Plugins.Burrow.Tests.Parsing;

public sealed class BurrowReportParserTests
{
    [Test]
    public void KarrotEnvelope_OpenWarn_GivesEveryGroupTraitTyped()
    {
        var e = Reports.Event(BurrowBodies.KarrotOpenWarn);

        Assert.Multiple(() =>
        {
            Assert.That(e.EventType, Is.EqualTo(ConsumerStatusEvent.EventType));
            Assert.That(e.Value(T.Cluster), Is.EqualTo("prod-east"));
            Assert.That(e.Value(T.Group), Is.EqualTo("orders-enricher"));
            Assert.That(e.Value(T.Status), Is.EqualTo("WARN"));
            Assert.That(e.Value(T.StatusCode), Is.EqualTo(2L));
            Assert.That(e.Value(T.Complete), Is.EqualTo(1.0));
            Assert.That(e.Value(T.TotalLag), Is.EqualTo(8785L));
            Assert.That(e.Value(T.PartitionCount), Is.EqualTo(6L));
            Assert.That(e.Value(T.MaxLagTopic), Is.EqualTo("orders"));
            Assert.That(e.Value(T.MaxLagPartition), Is.EqualTo(1L));
            Assert.That(e.Value(T.MaxLagCurrentLag), Is.EqualTo(4810L));
            Assert.That(e.Value(T.IncidentId), Is.EqualTo(BurrowBodies.IncidentId));
            Assert.That(e.Value(T.IncidentStart), Is.EqualTo(new DateTimeOffset(2024, 6, 10, 6, 22, 35, TimeSpan.Zero).AddTicks(4182071)));
            Assert.That(e.Value(T.IncidentState), Is.EqualTo(ConsumerStatusEvent.IncidentOpen));
            Assert.That(e.Value(T.Report), Is.EqualTo(ConsumerStatusEvent.PartialReport));
            Assert.That(e.Value(T.Source), Is.EqualTo("webhook"));
            Assert.That(e.TryGetTrait(T.StatusCode, out var code) && code.Type == TraitType.Integer, Is.True);
            Assert.That(e.TryGetTrait(T.IncidentStart, out var start) && start.Type == TraitType.DateTime, Is.True);
        });
    }

    [Test]
    public void KarrotEnvelope_OpenWarn_GivesEachListedPartitionAsTypedDetail()
    {
        var e = Reports.Event(BurrowBodies.KarrotOpenWarn);

        Assert.That(e.Details, Has.Count.EqualTo(2));
        var p = e.Details[0];
        Assert.Multiple(() =>
        {
            Assert.That(p.Kind, Is.EqualTo(ConsumerStatusEvent.PartitionDetailKind));
            Assert.That(p.Value(PartitionTraits.Topic), Is.EqualTo("orders"));
            Assert.That(p.Value(PartitionTraits.Partition), Is.EqualTo(1L));
            Assert.That(p.Value(PartitionTraits.Status), Is.EqualTo("WARN"));
            Assert.That(p.Value(PartitionTraits.StatusCode), Is.EqualTo(2L));
            Assert.That(p.Value(PartitionTraits.CurrentLag), Is.EqualTo(4810L));
            Assert.That(p.Value(PartitionTraits.StartOffset), Is.EqualTo(5001200L));
            Assert.That(p.Value(PartitionTraits.EndOffset), Is.EqualTo(5013400L));
            Assert.That(p.Value(PartitionTraits.Complete), Is.EqualTo(1.0));
            Assert.That(p.Value(PartitionTraits.Owner), Is.EqualTo("/10.20.3.17"));
            Assert.That(p.Value(PartitionTraits.ClientId), Is.EqualTo("orders-enricher-2"));
            Assert.That(e.Details[1].Value(PartitionTraits.Partition), Is.EqualTo(4L));
            Assert.That(e.Details[1].Value(PartitionTraits.CurrentLag), Is.EqualTo(3920L));
        });
    }

    [Test]
    public void KarrotEnvelope_KeepsTheBodyByteForByteAsRaw()
    {
        var e = Reports.Event(BurrowBodies.KarrotOpenWarn);

        Assert.That(Encoding.UTF8.GetString(e.Raw.Span), Is.EqualTo(BurrowBodies.KarrotOpenWarn));
    }

    [Test]
    public void KarrotEnvelope_StatusOkWithIncidentId_ClosesTheIncident()
    {
        var e = Reports.Event(BurrowBodies.KarrotCloseOk);

        Assert.Multiple(() =>
        {
            Assert.That(e.Value(T.Status), Is.EqualTo("OK"));
            Assert.That(e.Value(T.IncidentId), Is.EqualTo(BurrowBodies.IncidentId));
            Assert.That(e.Value(T.IncidentState), Is.EqualTo(ConsumerStatusEvent.IncidentClosed));
            Assert.That(e.Value(T.TotalLag), Is.EqualTo(143L));
            Assert.That(e.Details, Is.Empty);
        });
    }

    [Test]
    public void KarrotEnvelope_PeriodicOkWithEmptyIdAndZeroStart_HasNoIncidentTraits()
    {
        var e = Reports.Event(BurrowBodies.KarrotPeriodicOk);

        Assert.That(e.TraitNames(), Has.None.StartsWith("incident_"));
        Assert.That(e.Value(T.TotalLag), Is.EqualTo(143L));
    }

    [Test]
    public void KarrotSample_WithoutClientIdOrObservedAt_AndACorruptedStart_IsAccepted()
    {
        var e = Reports.Event(BurrowBodies.KarrotSample);

        Assert.Multiple(() =>
        {
            Assert.That(e.Value(T.Cluster), Is.EqualTo("local"));
            Assert.That(e.Value(T.Group), Is.EqualTo("topicA_consumer"));
            Assert.That(e.Value(T.TotalLag), Is.EqualTo(601L));
            Assert.That(e.TraitNames(), Has.None.StartsWith("incident_"));
        });
    }

    [Test]
    public void NullsAndEmptyStrings_BecomeNoTraits_NeverZeros()
    {
        var e = Reports.Event(BurrowBodies.KarrotNulls);

        Assert.Multiple(() =>
        {
            Assert.That(e.TraitNames(), Has.None.StartsWith("maxlag_"));
            Assert.That(e.TraitNames(), Has.None.StartsWith("incident_"));
            Assert.That(e.Value(T.Status), Is.EqualTo("STOP"));
            Assert.That(e.Value(T.StatusCode), Is.EqualTo(4L));
            Assert.That(e.Value(T.Complete), Is.EqualTo(0.5));
            Assert.That(e.Details[0].TraitNames(), Is.EqualTo(new[] { "topic", "partition", "status", "status_code", "current_lag", "complete" }));
        });
    }

    [TestCase("\"warn\"", "WARN", 2L)]
    [TestCase("2", "WARN", 2L)]
    [TestCase("6", "REWIND", 6L)]
    [TestCase("\"Stall\"", "STALL", 5L)]
    [TestCase("\"UNKNOWN\"", "UNKNOWN", null)]
    public void Status_AsNameOrCode_IsNormalised_AndAnUnknownNameKeepsNoCode(string json, string name, long? code)
    {
        var e = Reports.Event($$"""{"cluster":"c","group":"g","status":{{json}},"totallag":0}""");

        Assert.That(e.Value(T.Status), Is.EqualTo(name));
        Assert.That(e.Value(T.StatusCode), Is.EqualTo(code));
    }

    [Test]
    public void BareGroupStatus_ListingEveryPartition_IsAFullReport()
    {
        var e = Reports.Event(BurrowBodies.BareStatus);

        Assert.Multiple(() =>
        {
            Assert.That(e.Value(T.Group), Is.EqualTo("billing"));
            Assert.That(e.Value(T.TotalLag), Is.EqualTo(5L));
            Assert.That(e.Value(T.Report), Is.EqualTo(ConsumerStatusEvent.FullReport));
            Assert.That(e.Details, Has.Count.EqualTo(2));
        });
    }

    [Test]
    public void ApiLagResponse_IsAFullReport()
    {
        var e = Reports.Event(BurrowBodies.ApiLag(totalLag: 77));

        Assert.Multiple(() =>
        {
            Assert.That(e.Value(T.Cluster), Is.EqualTo("prod-east"));
            Assert.That(e.Value(T.TotalLag), Is.EqualTo(77L));
            Assert.That(e.Value(T.Report), Is.EqualTo(ConsumerStatusEvent.FullReport));
            Assert.That(e.Details.Select(d => d.Value(PartitionTraits.Topic)), Is.EqualTo(new[] { "invoices", "payments" }));
        });
    }

    [Test]
    public void ApiStatusResponse_IsAPartialReport()
    {
        var e = Reports.Event(BurrowBodies.ApiStatus);

        Assert.That(e.Value(T.Report), Is.EqualTo(ConsumerStatusEvent.PartialReport));
        Assert.That(e.Value(T.Status), Is.EqualTo("WARN"));
    }

    [Test]
    public void ApiErrorResponse_IsRejectedWithBurrowsMessage()
    {
        var error = Assert.Throws<BurrowBodyException>(() =>
            Reports.Event("""{"error":true,"message":"cluster not found","status":{},"request":{"url":"/v3/kafka/x/consumer/g/lag"}}"""));

        Assert.That(error!.Message, Does.Contain("cluster not found"));
    }

    [Test]
    public void NotifierPostTemplate_IsAcceptedAsStatusOnly_WithoutClusterOrLag()
    {
        var e = Reports.Event(BurrowBodies.NotifierPost);

        Assert.Multiple(() =>
        {
            Assert.That(e.Value(T.Group), Is.EqualTo("orders-enricher"));
            Assert.That(e.Value(T.Status), Is.EqualTo("WARN"));
            Assert.That(e.Value(T.Cluster), Is.Null);
            Assert.That(e.Value(T.TotalLag), Is.Null);
            Assert.That(e.Value(T.IncidentId), Is.EqualTo(BurrowBodies.IncidentId));
            Assert.That(e.Value(T.IncidentStart), Is.EqualTo(new DateTimeOffset(2024, 6, 10, 6, 22, 35, TimeSpan.Zero)));
            Assert.That(e.Value(T.IncidentState), Is.EqualTo(ConsumerStatusEvent.IncidentOpen));
            Assert.That(e.Details, Has.Count.EqualTo(2));
        });
    }

    [Test]
    public void NotifierPostTemplate_TakesDefaultClusterWhenConfigured()
    {
        var e = Reports.Event(BurrowBodies.NotifierPost, defaultCluster: "prod-east");

        Assert.That(e.Value(T.Cluster), Is.EqualTo("prod-east"));
    }

    [Test]
    public void NotifierCloseTemplate_ClosesTheIncident_WithStatusOk()
    {
        var e = Reports.Event(BurrowBodies.NotifierClose);

        Assert.Multiple(() =>
        {
            Assert.That(e.Value(T.IncidentId), Is.EqualTo(BurrowBodies.IncidentId));
            Assert.That(e.Value(T.IncidentState), Is.EqualTo(ConsumerStatusEvent.IncidentClosed));
            Assert.That(e.Value(T.Status), Is.EqualTo("OK"));
            Assert.That(e.Value(T.Group), Is.Null);
        });
    }

    [Test]
    public void Delete_OfAnEnvelopeWithAnIncident_ClosesIt()
    {
        var e = Reports.Event(BurrowBodies.KarrotOpenWarn, isDelete: true);

        Assert.That(e.Value(T.IncidentState), Is.EqualTo(ConsumerStatusEvent.IncidentClosed));
    }

    [TestCase("""{"Event":{"Result":{"group":"g","totallag":1}}}""", "'Event.Result.cluster'")]
    [TestCase("""{"Event":{"Result":{"cluster":"c","totallag":1}}}""", "'Event.Result.group'")]
    [TestCase("""{"Event":{"Result":{"cluster":"c","group":"g"}}}""", "'Event.Result.totallag'")]
    [TestCase("""{"Event":{"Result":{"cluster":"c","group":"g","totallag":null}}}""", "'Event.Result.totallag'")]
    [TestCase("""{"Event":{"Result":{"cluster":"","group":"g","totallag":1}}}""", "'Event.Result.cluster'")]
    [TestCase("""{"Event":{"Cluster":"c"}}""", "'Event.Result'")]
    [TestCase("""{"group":"g","totallag":1}""", "'cluster'")]
    [TestCase("""{"cluster":"c","group":"g"}""", "'totallag'")]
    [TestCase("""{"error":false,"status":{"cluster":"c","totallag":1}}""", "'status.group'")]
    [TestCase("""{"events":[{"id":"","event":{"severity":"WARN"}}]}""", "'events[0].event.group'")]
    [TestCase("""{"ids":[]}""", "'ids'")]
    [TestCase("""{"ids":[""]}""", "'ids[0]'")]
    [TestCase("""{"events":[]}""", "'events'")]
    public void MissingRequiredField_IsRejectedNamingIt(string body, string field)
    {
        var error = Assert.Throws<BurrowBodyException>(() => Reports.Event(body));

        Assert.That(error!.Message, Does.Contain(field));
    }

    [Test]
    public void EnvelopeClusterAndGroup_StandInWhenResultLacksThem()
    {
        var e = Reports.Event("""{"Event":{"Cluster":"c","Group":"g","Result":{"totallag":3}}}""");

        Assert.That(e.Value(T.Cluster), Is.EqualTo("c"));
        Assert.That(e.Value(T.Group), Is.EqualTo("g"));
    }

    [TestCase("""{"cluster":"c","group":"g","totallag":"8785"}""", "field 'totallag' must be a non-negative integer", "the string \"8785\"")]
    [TestCase("""{"cluster":"c","group":"g","totallag":-1}""", "field 'totallag' must be a non-negative integer", "the number -1")]
    [TestCase("""{"cluster":"c","group":"g","totallag":18446744073709551615}""", "field 'totallag'", "18446744073709551615")]
    [TestCase("""{"cluster":"c","group":"g","totallag":1.5}""", "field 'totallag'", "the number 1.5")]
    [TestCase("""{"cluster":5,"group":"g","totallag":1}""", "field 'cluster' must be a string", "got a number")]
    [TestCase("""{"Event":{"Result":{"cluster":"c","group":["g"],"totallag":1}}}""", "field 'Event.Result.group' must be a string", "got an array")]
    [TestCase("""{"cluster":"c","group":"g","totallag":1,"partitions":[{"topic":"t","current_lag":"x"}]}""", "field 'partitions[0].current_lag'", "the string \"x\"")]
    [TestCase("""{"cluster":"c","group":"g","totallag":1,"partitions":[{},{"topic":7}]}""", "field 'partitions[1].topic' must be a string", "a number")]
    [TestCase("""{"cluster":"c","group":"g","totallag":1,"partitions":[{"start":{"offset":"1"}}]}""", "field 'partitions[0].start.offset'", "the string \"1\"")]
    [TestCase("""{"cluster":"c","group":"g","totallag":1,"status":true}""", "field 'status' must be a Burrow status", "true")]
    [TestCase("""{"cluster":"c","group":"g","totallag":1,"maxlag":[]}""", "field 'maxlag' must be an object or null", "an array")]
    [TestCase("""{"Event":"x"}""", "field 'Event' must be an object", "a string")]
    public void MistypedField_IsRejectedNamingItAndWhatCame(string body, string field, string got)
    {
        var error = Assert.Throws<BurrowBodyException>(() => Reports.Event(body));

        Assert.That(error!.Message, Does.Contain(field).And.Contain(got));
    }

    [TestCase("{\"cluster\":\"c\"")]
    [TestCase("{\"cluster\":\"c\",}")]
    [TestCase("")]
    [TestCase("{} {}")]
    [TestCase("{\"cluster\":\"c\",\"group\":\"g\",\"totallag\":1} trailing")]
    [TestCase("{/* comment */}")]
    public void MalformedJson_ThrowsJsonException(string body)
    {
        Assert.That(() => Reports.Event(body), Throws.InstanceOf<JsonException>());
    }

    [Test]
    public void InvalidUtf8_IsMalformed_NotAnInternalError()
    {
        var body = Encoding.UTF8.GetBytes("{\"cluster\":\"c\",\"group\":\"gX\",\"totallag\":1}");
        body[Array.IndexOf(body, (byte)'X')] = 0xFF;

        var error = Assert.Throws<JsonException>(() => BurrowReportParser.Parse(body, false, null));

        Assert.That(error!.Message, Does.Contain("UTF-8"));
    }

    [Test]
    public void EightPartitionBenchmarkBody_IsAValidReport()
    {
        var body = File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "burrow-body.json"));

        var e = Reports.Event(body);

        Assert.That(e.Details, Has.Count.EqualTo(8));
        Assert.That(e.Value(ConsumerStatusTraits.TotalLag), Is.EqualTo(e.Details.Sum(d => (long)d.Value(PartitionTraits.CurrentLag)!)));
        Assert.That(Reports.Event(BurrowBodies.KarrotWithPartitions(8)).Details, Has.Count.EqualTo(8));
    }

    [TestCase("[]", "got an array")]
    [TestCase("42", "got a number")]
    [TestCase("{\"hello\":1}", "not a Burrow report")]
    public void JsonThatIsNoReport_IsRejected(string body, string message)
    {
        var error = Assert.Throws<BurrowBodyException>(() => Reports.Event(body));

        Assert.That(error!.Message, Does.Contain(message));
    }

    [Test]
    public void NamesWithQuotesBackslashesNewlinesAndNonAscii_AreKeptAsSent()
    {
        var e = Reports.Event("""{"cluster":"prod \"east\"","group":"a\\b\nc ørders \ud83d\ude00","totallag":1,"partitions":[{"topic":"t\u00e9"}]}""");

        Assert.Multiple(() =>
        {
            Assert.That(e.Value(T.Cluster), Is.EqualTo("prod \"east\""));
            Assert.That(e.Value(T.Group), Is.EqualTo("a\\b\nc ørders 😀"));
            Assert.That(e.Details[0].Value(PartitionTraits.Topic), Is.EqualTo("té"));
        });
    }

    [Test]
    public void ByteOrderMark_IsSkipped()
    {
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes(BurrowBodies.BareStatus)).ToArray();

        var report = BurrowReportParser.Parse(bytes, isDelete: false, defaultCluster: null);

        Assert.That(report.Status.Group, Is.EqualTo("billing"));
    }

    [Test]
    public void UnknownKeysAnywhere_AreIgnored()
    {
        var e = Reports.Event("""{"cluster":"c","group":"g","totallag":1,"future":{"a":[1,2,{"b":null}]},"partitions":[{"topic":"t","new_field":[1]}]}""");

        Assert.That(e.Value(T.TotalLag), Is.EqualTo(1L));
        Assert.That(e.Details[0].Value(PartitionTraits.Topic), Is.EqualTo("t"));
    }
}
