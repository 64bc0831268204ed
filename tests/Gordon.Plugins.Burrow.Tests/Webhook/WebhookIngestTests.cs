using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gordon.Abstractions.Events.ConsumerLag;
using Gordon.Abstractions.Messaging;
using Gordon.Plugins.Burrow.Tests.Support;
using Gordon.Plugins.Burrow.Webhook;
using T = Gordon.Abstractions.Events.ConsumerLag.ConsumerStatusTraits;

namespace Gordon.Plugins.Burrow.Tests.Webhook;

public sealed class WebhookIngestTests
{
    [Test]
    [CancelAfter(30_000)]
    public async Task Post_KarrotEnvelope_Returns200WithTheMessageIdAndTheBodyEchoed(CancellationToken cancellationToken)
    {
        await using var bed = await WebhookTestBed.StartAsync(cancellationToken);

        using var response = await bed.PostAsync(BurrowBodies.KarrotOpenWarn, cancellationToken);
        var json = await WebhookTestBed.ReadJsonAsync(response, cancellationToken);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        var emitted = bed.Sink.Events.Single();
        Assert.Multiple(() =>
        {
            Assert.That(json.GetProperty("status").GetString(), Is.EqualTo("success"));
            Assert.That(json.GetProperty("message_id").GetString(), Is.EqualTo(emitted.MessageId));
            Assert.That(json.GetProperty("event").GetRawText(), Is.EqualTo(JsonDocument.Parse(BurrowBodies.KarrotOpenWarn).RootElement.GetRawText()));
            Assert.That(emitted.Value(T.TotalLag), Is.EqualTo(8785L));
            Assert.That(Encoding.UTF8.GetString(emitted.Raw.Span), Is.EqualTo(BurrowBodies.KarrotOpenWarn));
            Assert.That(bed.Metrics.Count(WebhookMetricNames.Requests, WebhookMetricNames.OutcomeTag, WebhookMetricNames.Accepted), Is.EqualTo(1));
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Post_SameBodyTwice_GivesTheSameMessageId(CancellationToken cancellationToken)
    {
        await using var bed = await WebhookTestBed.StartAsync(cancellationToken);

        using var first = await bed.PostAsync(BurrowBodies.KarrotCloseOk, cancellationToken);
        using var second = await bed.PostAsync(BurrowBodies.KarrotCloseOk, cancellationToken);
        using var other = await bed.PostAsync(BurrowBodies.KarrotPeriodicOk, cancellationToken);

        var ids = bed.Sink.Events.Select(e => e.MessageId).ToList();
        Assert.That(ids, Has.Count.EqualTo(3));
        Assert.That(ids[1], Is.EqualTo(ids[0]));
        Assert.That(ids[2], Is.Not.EqualTo(ids[0]));
    }

    [TestCase("text/plain")]
    [TestCase("application/x-www-form-urlencoded")]
    public async Task Post_NotJson_Returns415NamingTheContentType(string mediaType)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var bed = await WebhookTestBed.StartAsync(timeout.Token);

        using var response = await bed.Client.PostAsync(new Uri("/burrow", UriKind.Relative), WebhookTestBed.Json(BurrowBodies.BareStatus, mediaType), timeout.Token);
        var json = await WebhookTestBed.ReadJsonAsync(response, timeout.Token);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
        Assert.That(json.GetProperty("status").GetString(), Is.EqualTo("error"));
        Assert.That(json.GetProperty("msg").GetString(), Does.Contain("application/json").And.Contain(mediaType));
        Assert.That(bed.Sink.Events, Is.Empty);
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Post_WithoutContentType_Returns415(CancellationToken cancellationToken)
    {
        await using var bed = await WebhookTestBed.StartAsync(cancellationToken);
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(BurrowBodies.BareStatus));

        using var response = await bed.Client.PostAsync(new Uri("/burrow", UriKind.Relative), content, cancellationToken);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Post_JsonWithCharsetParameter_IsAccepted(CancellationToken cancellationToken)
    {
        await using var bed = await WebhookTestBed.StartAsync(cancellationToken);
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(BurrowBodies.BareStatus));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("Application/JSON; charset=utf-8");

        using var response = await bed.Client.PostAsync(new Uri("/burrow", UriKind.Relative), content, cancellationToken);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Post_MalformedJson_Returns400SayingWhere(CancellationToken cancellationToken)
    {
        await using var bed = await WebhookTestBed.StartAsync(cancellationToken);

        using var response = await bed.PostAsync("{\"Event\":{\"Cluster\":\"c\",}", cancellationToken);
        var json = await WebhookTestBed.ReadJsonAsync(response, cancellationToken);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(json.GetProperty("msg").GetString(), Does.StartWith("malformed JSON:").And.Contain("BytePositionInLine"));
        Assert.That(bed.Metrics.Count(WebhookMetricNames.Requests, WebhookMetricNames.OutcomeTag, WebhookMetricNames.Malformed), Is.EqualTo(1));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Post_InvalidUtf8_Returns400(CancellationToken cancellationToken)
    {
        await using var bed = await WebhookTestBed.StartAsync(cancellationToken);
        var body = Encoding.UTF8.GetBytes(BurrowBodies.BareStatus.Replace("billing", "bill\u00e9ng", StringComparison.Ordinal));
        var bytes = Encoding.UTF8.GetBytes("""{"cluster":"c","group":"g?","totallag":1}""");
        bytes[Array.IndexOf(bytes, (byte)'?')] = 0xC3;
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await bed.Client.PostAsync(new Uri("/burrow", UriKind.Relative), content, cancellationToken);
        var json = await WebhookTestBed.ReadJsonAsync(response, cancellationToken);
        using var escaped = await bed.PostAsync(Encoding.UTF8.GetString(body), cancellationToken);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(json.GetProperty("msg").GetString(), Does.Contain("UTF-8"));
        Assert.That(escaped.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [TestCase("""{"Event":{"Result":{"group":"g","totallag":1}}}""", "Event.Result.cluster")]
    [TestCase("""{"Event":{"Result":{"cluster":"c","totallag":1}}}""", "Event.Result.group")]
    [TestCase("""{"Event":{"Result":{"cluster":"c","group":"g"}}}""", "Event.Result.totallag")]
    [TestCase("""{"Event":{"Result":{"cluster":"c","group":"g","totallag":"12"}}}""", "Event.Result.totallag")]
    [TestCase("""{"Event":{"Result":{"cluster":7,"group":"g","totallag":12}}}""", "Event.Result.cluster")]
    public async Task Post_MissingOrMistypedRequiredField_Returns422NamingTheField(string body, string field)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var bed = await WebhookTestBed.StartAsync(timeout.Token);

        using var response = await bed.PostAsync(body, timeout.Token);
        var json = await WebhookTestBed.ReadJsonAsync(response, timeout.Token);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(json.GetProperty("msg").GetString(), Does.Contain("'" + field + "'"));
        Assert.That(bed.Sink.Events, Is.Empty);
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Post_OverMaxBody_Returns413_WithContentLengthAndChunked(CancellationToken cancellationToken)
    {
        await using var bed = await WebhookTestBed.StartAsync(cancellationToken, config: ("max_body", "1KiB"));
        var big = BurrowBodies.KarrotWithPartitions(8);
        Assert.That(Encoding.UTF8.GetByteCount(big), Is.GreaterThan(1024));

        using var sized = await bed.PostAsync(big, cancellationToken);
        var chunkedContent = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(big)));
        chunkedContent.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/burrow") { Content = chunkedContent };
        request.Headers.TransferEncodingChunked = true;
        using var chunked = await bed.Client.SendAsync(request, cancellationToken);
        var json = await WebhookTestBed.ReadJsonAsync(chunked, cancellationToken);

        Assert.That(sized.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(chunked.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(json.GetProperty("msg").GetString(), Does.Contain("max_body").And.Contain("1024"));
        Assert.That(bed.Sink.Events, Is.Empty);
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Post_ChunkedBodyUnderTheLimit_IsAccepted(CancellationToken cancellationToken)
    {
        await using var bed = await WebhookTestBed.StartAsync(cancellationToken);
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(BurrowBodies.KarrotWithPartitions(64))));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/burrow") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await bed.Client.SendAsync(request, cancellationToken);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync(cancellationToken));
        Assert.That(bed.Sink.Events.Single().Details, Has.Count.EqualTo(64));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Post_PipelineRefuses_Returns503WithTheReason(CancellationToken cancellationToken)
    {
        await using var bed = await WebhookTestBed.StartAsync(cancellationToken);
        bed.Sink.Refusal = new PipelineUnavailableException(PipelineUnavailableReason.Full, "Phase 'consume' stayed full for the enqueue timeout of 00:00:05.");

        using var response = await bed.PostAsync(BurrowBodies.KarrotOpenWarn, cancellationToken);
        var json = await WebhookTestBed.ReadJsonAsync(response, cancellationToken);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(json.GetProperty("msg").GetString(), Does.Contain("stayed full"));
        Assert.That(bed.Metrics.Count(WebhookMetricNames.Requests, WebhookMetricNames.OutcomeTag, WebhookMetricNames.Unavailable), Is.EqualTo(1));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Post_AnswersOnlyOnceTheMessageIsInThePipeline(CancellationToken cancellationToken)
    {
        await using var bed = await WebhookTestBed.StartAsync(cancellationToken);
        bed.Sink.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var posting = bed.PostAsync(BurrowBodies.KarrotOpenWarn, cancellationToken);
        await bed.Sink.Waiting.Task.WaitAsync(cancellationToken);
        var answeredEarly = posting.IsCompleted;
        bed.Sink.Gate.SetResult();
        using var response = await posting;

        Assert.That(answeredEarly, Is.False);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(bed.Sink.Events, Has.Count.EqualTo(1));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task KarrotCompatibleErrors_AnswerErrorsWith200AndKarrotsShape(CancellationToken cancellationToken)
    {
        await using var bed = await WebhookTestBed.StartAsync(cancellationToken, config: ("karrot_compatible_errors", true));

        using var invalid = await bed.PostAsync("""{"Event":{"Result":{"cluster":"c","group":"g"}}}""", cancellationToken);
        var json = await WebhookTestBed.ReadJsonAsync(invalid, cancellationToken);
        using var malformed = await bed.PostAsync("{", cancellationToken);
        using var notJson = await bed.Client.PostAsync(new Uri("/burrow", UriKind.Relative), WebhookTestBed.Json("{}", "text/plain"), cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(invalid.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(malformed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(notJson.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(json.GetProperty("status").GetString(), Is.EqualTo("error"));
            Assert.That(json.GetProperty("msg").GetString(), Does.Contain("Event.Result.totallag"));
            Assert.That(json.GetProperty("time").GetString(), Does.Match(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$"));
            Assert.That(bed.Sink.Events, Is.Empty);
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Delete_WithTheCloseTemplate_EmitsAClosingReport(CancellationToken cancellationToken)
    {
        await using var bed = await WebhookTestBed.StartAsync(cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Delete, "/burrow") { Content = WebhookTestBed.Json(BurrowBodies.NotifierClose) };

        using var response = await bed.Client.SendAsync(request, cancellationToken);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var emitted = bed.Sink.Events.Single();
        Assert.That(emitted.Value(T.IncidentState), Is.EqualTo(ConsumerStatusEvent.IncidentClosed));
        Assert.That(emitted.Value(T.IncidentId), Is.EqualTo(BurrowBodies.IncidentId));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Post_EveryAcceptedShape_Returns200(CancellationToken cancellationToken)
    {
        await using var bed = await WebhookTestBed.StartAsync(cancellationToken);
        string[] bodies =
        [
            BurrowBodies.KarrotOpenWarn, BurrowBodies.KarrotCloseOk, BurrowBodies.KarrotPeriodicOk, BurrowBodies.KarrotSample,
            BurrowBodies.KarrotNulls, BurrowBodies.BareStatus, BurrowBodies.ApiLag(), BurrowBodies.ApiStatus,
            BurrowBodies.NotifierPost, BurrowBodies.NotifierClose,
        ];

        var codes = new List<HttpStatusCode>();
        foreach (var body in bodies)
        {
            using var response = await bed.PostAsync(body, cancellationToken);
            codes.Add(response.StatusCode);
        }

        Assert.That(codes, Is.All.EqualTo(HttpStatusCode.OK));
        Assert.That(bed.Sink.Events, Has.Count.EqualTo(bodies.Length));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Get_Burrow_Returns405(CancellationToken cancellationToken)
    {
        await using var bed = await WebhookTestBed.StartAsync(cancellationToken);

        using var response = await bed.Client.GetAsync(new Uri("/burrow", UriKind.Relative), cancellationToken);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Post_EmitsWithTheReporterTrackerAsDeliveryObserver(CancellationToken cancellationToken)
    {
        await using var bed = await WebhookTestBed.StartAsync(cancellationToken);

        using var response = await bed.PostAsync(BurrowBodies.BareStatus, cancellationToken);

        Assert.That(bed.Sink.Emitted.Single().Observer, Is.InstanceOf<ReporterTracker>());
    }
}
