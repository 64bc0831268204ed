using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gordon.Plugins.CloudWatch.Tests.Support;

/// <summary>
/// A Kestrel server on 127.0.0.1 that plays CloudWatch (and STS) for the tests. It verifies every request's SigV4
/// signature with <see cref="SigV4Verifier"/> against the credentials it knows, parses the Query-protocol form body
/// and checks every datum against PutMetricData's rules, answering as CloudWatch would (403 SignatureDoesNotMatch,
/// 400 InvalidParameterValue), or with whatever the test scripted next (throttling, 500, …).
/// </summary>
internal sealed class FakeCloudWatch : IAsyncDisposable
{
    public const string Region = "us-east-1";
    public const string AccessKey = "AKIDGORDONTEST";
    public const string SecretKey = "gordon/test+secret/KEY0123456789abcdefghij";
    private static readonly HashSet<string> Units = new(StringComparer.Ordinal)
    {
        "Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits",
        "Megabits", "Gigabits", "Terabits", "Percent", "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second",
        "Gigabytes/Second", "Terabytes/Second", "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second",
        "Terabits/Second", "Count/Second", "None",
    };

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, string> _secrets = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(int Status, string Code, string Message)> _script = new();
    private readonly List<ReceivedRequest> _requests = [];
    private readonly Lock _lock = new();
    private readonly List<(int Count, TaskCompletionSource Done)> _waiters = [];

    private FakeCloudWatch(WebApplication app)
    {
        _app = app;
        _secrets[AccessKey] = SecretKey;
    }

    public Uri Endpoint { get; private set; } = null!;

    /// <summary>The clock the signature's time is checked against (null: not checked).</summary>
    public TimeProvider? Clock { get; set; }

    /// <summary>Datums whose metric name or a dimension value this matches are refused with 400 InvalidParameterValue.</summary>
    public Func<ReceivedDatum, bool>? Poison { get; set; }

    /// <summary>What AssumeRole answers: the credentials it hands out (they become known keys).</summary>
    public (string AccessKey, string Secret, string Token, DateTimeOffset Expiration)? AssumedRole { get; set; }

    public IReadOnlyList<ReceivedRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    public IReadOnlyList<ReceivedRequest> Accepted => [.. Requests.Where(r => r.Status == 200 && r.Action == "PutMetricData")];

    public IReadOnlyList<ReceivedDatum> AcceptedDatums => [.. Accepted.SelectMany(r => r.Datums)];

    public static async Task<FakeCloudWatch> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var fake = new FakeCloudWatch(app);
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        fake.Endpoint = new Uri(address.EndsWith('/') ? address : address + "/");
        return fake;
    }

    /// <summary>Adds a key pair the server accepts.</summary>
    public void Know(string accessKey, string secret) => _secrets[accessKey] = secret;

    /// <summary>Answers the next request that would succeed with this error instead.</summary>
    public void Script(int status, string code, string message) => _script.Enqueue((status, code, message));

    /// <summary>Completes when at least <paramref name="count"/> requests have been answered.</summary>
    public Task WaitForRequestsAsync(int count, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_requests.Count >= count)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, done));
            return done.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Completes when at least <paramref name="count"/> datums have been accepted.</summary>
    public async Task WaitForDatumsAsync(int count, CancellationToken cancellationToken)
    {
        for (var requests = 1; AcceptedDatums.Count < count; requests = Requests.Count + 1)
        {
            await WaitForRequestsAsync(requests, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var rawTarget = context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
        var queryAt = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var (name, values) in context.Request.Headers)
        {
            headers.AddRange(values.Select(v => new KeyValuePair<string, string>(name, v ?? string.Empty)));
        }

        var form = ParseForm(Encoding.ASCII.GetString(body));
        var action = form.GetValueOrDefault("Action", string.Empty);
        var service = action.StartsWith("AssumeRole", StringComparison.Ordinal) ? "sts" : "monitoring";
        var request = new SigV4Verifier.Request(
            context.Request.Method,
            queryAt < 0 ? rawTarget : rawTarget[..queryAt],
            queryAt < 0 ? string.Empty : rawTarget[(queryAt + 1)..],
            headers,
            body);
        var signature = action == "AssumeRoleWithWebIdentity"
            ? new SigV4Verifier.Result(true, null, null, null, null, [])
            : SigV4Verifier.Verify(request, key => _secrets.GetValueOrDefault(key), Region, service, Clock?.GetUtcNow());

        var (status, code, message, datums, xml) = Answer(action, form, body.Length, signature);
        var received = new ReceivedRequest(action, form, datums, body.Length, signature, status == 200 ? null : $"{code}: {message}", status);
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/xml";
        await context.Response.WriteAsync(xml);
        lock (_lock)
        {
            _requests.Add(received);
            foreach (var waiter in _waiters.Where(w => _requests.Count >= w.Count).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Done.TrySetResult();
            }
        }
    }

    private (int Status, string Code, string Message, List<ReceivedDatum> Datums, string Xml) Answer(
        string action, Dictionary<string, string> form, int bodyBytes, SigV4Verifier.Result signature)
    {
        List<ReceivedDatum> datums = [];
        if (!signature.Valid)
        {
            var code = signature.Problem?.StartsWith("unknown access key", StringComparison.Ordinal) == true ? "InvalidClientTokenId" : "SignatureDoesNotMatch";
            return Error(403, code, signature.Problem!);
        }

        if (action == "AssumeRole" || action == "AssumeRoleWithWebIdentity")
        {
            if (AssumedRole is not { } role)
            {
                return Error(403, "AccessDenied", "no role to assume in this test");
            }

            Know(role.AccessKey, role.Secret);
            var result = action + "Result";
            return (200, "OK", "OK", datums,
                $"<{action}Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><{result}><Credentials>"
                + $"<AccessKeyId>{role.AccessKey}</AccessKeyId><SecretAccessKey>{role.Secret}</SecretAccessKey>"
                + $"<SessionToken>{role.Token}</SessionToken><Expiration>{role.Expiration.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}</Expiration>"
                + $"</Credentials></{result}></{action}Response>");
        }

        if (action != "PutMetricData" || form.GetValueOrDefault("Version") != "2010-08-01")
        {
            return Error(400, "InvalidAction", $"unknown action '{action}' or version");
        }

        if (bodyBytes > 1_048_576)
        {
            return Error(413, "RequestEntityTooLarge", $"body of {bodyBytes} bytes exceeds 1 MB");
        }

        if (string.IsNullOrEmpty(form.GetValueOrDefault("Namespace")))
        {
            return Error(400, "MissingParameter", "The parameter Namespace is required.");
        }

        try
        {
            datums = ParseDatums(form);
        }
        catch (FormatException ex)
        {
            return Error(400, "InvalidParameterValue", ex.Message);
        }

        if (datums.Count is 0 or > 1000)
        {
            return Error(400, "InvalidParameterValue", $"MetricData must have 1 to 1000 members, got {datums.Count}");
        }

        if (Poison is { } poison && datums.FirstOrDefault(poison) is { } bad)
        {
            return Error(400, "InvalidParameterValue", $"The value for parameter MetricData.member.{datums.IndexOf(bad) + 1}.MetricName is not valid.");
        }

        if (_script.TryDequeue(out var scripted))
        {
            return Error(scripted.Status, scripted.Code, scripted.Message);
        }

        return (200, "OK", "OK", datums,
            "<PutMetricDataResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\"><ResponseMetadata><RequestId>"
            + Guid.NewGuid() + "</RequestId></ResponseMetadata></PutMetricDataResponse>");

        (int, string, string, List<ReceivedDatum>, string) Error(int status, string code, string message) =>
            (status, code, message, datums,
                "<ErrorResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\"><Error><Type>Sender</Type>"
                + $"<Code>{code}</Code><Message>{System.Security.SecurityElement.Escape(message)}</Message></Error>"
                + "<RequestId>00000000-0000-0000-0000-000000000000</RequestId></ErrorResponse>");
    }

    private static Dictionary<string, string> ParseForm(string body)
    {
        var form = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in body.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            form[Decode(parts[0])] = parts.Length > 1 ? Decode(parts[1]) : string.Empty;
        }

        return form;

        static string Decode(string s) => Uri.UnescapeDataString(s.Replace('+', ' '));
    }

    // Checks each member as CloudWatch does: contiguous numbering, a name, a finite value, a timestamp, a known unit,
    // dimensions with names and values.
    private static List<ReceivedDatum> ParseDatums(Dictionary<string, string> form)
    {
        var datums = new List<ReceivedDatum>();
        for (var i = 1; form.ContainsKey($"MetricData.member.{i}.MetricName") || form.Keys.Any(k => k.StartsWith($"MetricData.member.{i}.", StringComparison.Ordinal)); i++)
        {
            var p = $"MetricData.member.{i}.";
            var name = form.GetValueOrDefault(p + "MetricName");
            if (string.IsNullOrEmpty(name) || name.Length > 255)
            {
                throw new FormatException($"{p}MetricName must be 1 to 255 characters");
            }

            if (!double.TryParse(form.GetValueOrDefault(p + "Value"), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            {
                throw new FormatException($"{p}Value is not a finite number: '{form.GetValueOrDefault(p + "Value")}'");
            }

            if (!DateTimeOffset.TryParse(form.GetValueOrDefault(p + "Timestamp"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                throw new FormatException($"{p}Timestamp is not ISO 8601");
            }

            var unit = form.GetValueOrDefault(p + "Unit");
            if (unit is not null && !Units.Contains(unit))
            {
                throw new FormatException($"{p}Unit '{unit}' is not a CloudWatch unit");
            }

            int? resolution = form.TryGetValue(p + "StorageResolution", out var r) ? int.Parse(r, CultureInfo.InvariantCulture) : null;
            if (resolution is not (null or 1 or 60))
            {
                throw new FormatException($"{p}StorageResolution must be 1 or 60");
            }

            var dimensions = new List<KeyValuePair<string, string>>();
            for (var j = 1; form.ContainsKey($"{p}Dimensions.member.{j}.Name"); j++)
            {
                var dn = form[$"{p}Dimensions.member.{j}.Name"];
                var dv = form.GetValueOrDefault($"{p}Dimensions.member.{j}.Value");
                if (dn.Length is 0 or > 255 || string.IsNullOrEmpty(dv) || dv.Length > 1024)
                {
                    throw new FormatException($"{p}Dimensions.member.{j} needs a name of 1-255 and a value of 1-1024 characters");
                }

                dimensions.Add(new(dn, dv));
            }

            if (dimensions.Count > 30)
            {
                throw new FormatException($"{p}Dimensions has more than 30 members");
            }

            datums.Add(new ReceivedDatum(name, dimensions, value, unit, at, resolution));
        }

        return datums;
    }
}
