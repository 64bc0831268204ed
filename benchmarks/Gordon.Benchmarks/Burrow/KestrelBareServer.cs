using System.Buffers;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gordon.Benchmarks.Burrow;

/// <summary>
/// <c>--bench=kestrel-bare [--port=N]</c>: the webhook benchmark's baseline. The same Kestrel, routing and GC settings
/// as the daemon (slim builder, workstation concurrent GC), with a <c>POST /burrow</c> that only reads the body and
/// answers 200. Prints <c>Listening on http://…</c> and serves until SIGTERM/SIGINT.
/// </summary>
internal static class KestrelBareServer
{
    public static int Run(string[] args)
    {
        var portArgument = args.FirstOrDefault(a => a.StartsWith("--port=", StringComparison.Ordinal))?["--port=".Length..];
        var port = int.TryParse(portArgument, out var p) ? p : 0;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, port);
        });
        using var app = builder.Build();
        app.MapPost("/burrow", ReadBodyAndAnswerAsync);
        app.Start();
        Console.WriteLine("Listening on " + app.Urls.First());
        app.WaitForShutdown();
        return 0;
    }

    private static async Task ReadBodyAndAnswerAsync(HttpContext context)
    {
        var reader = context.Request.BodyReader;
        while (true)
        {
            var result = await reader.ReadAsync(context.RequestAborted);
            reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                break;
            }
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentLength = 0;
    }
}
