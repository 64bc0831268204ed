using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gordon.Plugins.Burrow.Tests.Support;

/// <summary>
/// Burrow's v3 HTTP API on a free loopback port, answering as Burrow does (karrot-burrow.md §3.2): the cluster list,
/// a cluster's consumers (404 "cluster not found" for an unknown cluster), a group's /lag (404 NOTFOUND for an
/// unknown group). Tests make paths fail with 500s or hang until the client gives up.
/// </summary>
internal sealed class FakeBurrow : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeBurrow(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>cluster → group → total lag.</summary>
    public ConcurrentDictionary<string, ConcurrentDictionary<string, long>> Clusters { get; } = new(StringComparer.Ordinal);

    /// <summary>Clusters listed by /v3/kafka whose consumer list answers 404 (gone between the two calls).</summary>
    public ConcurrentDictionary<string, bool> Vanishing { get; } = new(StringComparer.Ordinal);

    /// <summary>"cluster/group" pairs the consumer list still names but whose /lag answers 404 NOTFOUND (gone in between).</summary>
    public ConcurrentDictionary<string, bool> ListedButGone { get; } = new(StringComparer.Ordinal);

    /// <summary>Path → how many more 500s it answers before it works.</summary>
    public ConcurrentDictionary<string, int> Failures { get; } = new(StringComparer.Ordinal);

    /// <summary>Paths that never answer: the request is held until the client gives up.</summary>
    public ConcurrentDictionary<string, bool> Hanging { get; } = new(StringComparer.Ordinal);

    /// <summary>Every path requested, in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public static async Task<FakeBurrow> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        FakeBurrow? burrow = null;
        app.Run(context => burrow!.ServeAsync(context));
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        burrow = new FakeBurrow(app, new Uri(address));
        return burrow;
    }

    public void AddGroup(string cluster, string group, long totalLag) =>
        Clusters.GetOrAdd(cluster, _ => new ConcurrentDictionary<string, long>(StringComparer.Ordinal))[group] = totalLag;

    public int RequestCount(string path) => Requests.Count(r => r == path);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task ServeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value!;
        Requests.Enqueue(path);
        if (Hanging.ContainsKey(path))
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            return;
        }

        if (Failures.TryGetValue(path, out var left) && left > 0)
        {
            Failures[path] = left - 1;
            await WriteAsync(context, 500, """{"error":true,"message":"internal error"}""");
            return;
        }

        var parts = path.Trim('/').Split('/').Select(Uri.UnescapeDataString).ToArray();
        switch (parts)
        {
            case ["v3", "kafka"]:
                await WriteAsync(context, 200, $$$"""{"error":false,"message":"cluster list returned","clusters":[{{{Names(Clusters.Keys)}}}],"request":{"url":"{{{path}}}","host":"fake"}}""");
                break;
            case ["v3", "kafka", var cluster, "consumer"] when Clusters.TryGetValue(cluster, out var groups) && !Vanishing.ContainsKey(cluster):
                await WriteAsync(context, 200, $$$"""{"error":false,"message":"consumer list returned","consumers":[{{{Names(groups.Keys.Concat(GoneOf(cluster)))}}}],"request":{"url":"{{{path}}}","host":"fake"}}""");
                break;
            case ["v3", "kafka", var cluster, "consumer", var group, "lag"] when !ListedButGone.ContainsKey(cluster + "/" + group) && Clusters.TryGetValue(cluster, out var groups) && groups.TryGetValue(group, out var lag):
                await WriteAsync(context, 200, BurrowBodies.ApiLag(cluster, group, lag));
                break;
            case ["v3", "kafka", var cluster, "consumer", var group, "lag"]:
                await WriteAsync(context, 404, $$$"""
                    {"error":false,"message":"consumer status returned","status":{"cluster":"{{{cluster}}}","group":"{{{group}}}","status":"NOTFOUND",
                     "complete":1,"partitions":[],"partition_count":0,"maxlag":null,"totallag":0},"request":{"url":"{{{path}}}","host":"fake"}}
                    """);
                break;
            default:
                await WriteAsync(context, 404, """{"error":true,"message":"cluster not found"}""");
                break;
        }
    }

    private IEnumerable<string> GoneOf(string cluster) =>
        ListedButGone.Keys.Where(k => k.StartsWith(cluster + "/", StringComparison.Ordinal)).Select(k => k[(cluster.Length + 1)..]);

    private static string Names(IEnumerable<string> names) => string.Join(",", names.Order(StringComparer.Ordinal).Select(n => "\"" + n + "\""));

    private static Task WriteAsync(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(json), context.RequestAborted).AsTask();
    }
}
