using System.Globalization;
using System.Text;
using Gordon.Plugins.Burrow.Tests.Support;

namespace Gordon.Plugins.Burrow.Tests.Fuzz;

/// <summary>One fuzz input: the body's bytes, the content type sent (null: none) and what kind of damage it carries.</summary>
internal sealed record FuzzInput(string Kind, byte[] Body, string? MediaType);

/// <summary>
/// A seeded generator of malformed and adversarial /burrow bodies. Seeded so a failure names the input
/// that caused it and a rerun reproduces it.
/// </summary>
internal sealed class WebhookInputGenerator(int seed)
{
    private static readonly string[] ValidBodies =
    [
        BurrowBodies.KarrotOpenWarn, BurrowBodies.KarrotCloseOk, BurrowBodies.KarrotPeriodicOk, BurrowBodies.KarrotSample,
        BurrowBodies.KarrotNulls, BurrowBodies.BareStatus, BurrowBodies.NotifierPost, BurrowBodies.NotifierClose,
    ];

    private static readonly string[] FieldNames =
    [
        "Event", "Cluster", "Group", "ID", "Start", "Extras", "Result", "cluster", "group", "status", "complete", "partitions",
        "partition_count", "maxlag", "totallag", "topic", "partition", "owner", "client_id", "start", "end", "offset",
        "timestamp", "observedAt", "lag", "current_lag", "events", "ids", "event", "severity", "api_key",
    ];

    private static readonly string[] WrongValues =
    [
        "null", "true", "false", "0", "-1", "1e309", "-1e309", "123456789012345678901234567890", "1.5", "\"\"", "\"x\"", "[]", "{}",
        "[1,2,3]", "{\"a\":1}", "\"\\u0000\"", "\"\\ud83d\\ude00\"", "9223372036854775808", "-9223372036854775809", "NaN", "\"NaN\"",
    ];

    private static readonly string?[] MediaTypes =
    [
        "application/json", "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data",
        "application/json; charset=utf-16", "application/json; charset=latin1", "application/jsonx", "*/*", null,
    ];

    private readonly Random _random = new(seed);

    public FuzzInput Next() => _random.Next(11) switch
    {
        0 => Truncated(),
        1 => DeepNesting(),
        2 => HugeNumber(),
        3 => WrongType(),
        4 => InvalidUtf8(),
        5 => RandomBytes(),
        6 => ByteMutation(),
        7 => WrongContentType(),
        8 => DuplicateAndStrayTokens(),
        9 => WrongType(),
        _ => ByteMutation(),
    };

    /// <summary>A 10 MB body (well above the default 1 MiB limit), valid JSON up to where it stops.</summary>
    public static FuzzInput TenMegabytes()
    {
        var builder = new StringBuilder(10 * 1024 * 1024 + 64);
        builder.Append("{\"cluster\":\"c\",\"group\":\"g\",\"status\":\"OK\",\"partitions\":[");
        while (builder.Length < 10 * 1024 * 1024)
        {
            builder.Append("{\"topic\":\"t\",\"partition\":0,\"current_lag\":1},");
        }

        builder.Append("{}]}");
        return new FuzzInput("ten-megabytes", Encoding.UTF8.GetBytes(builder.ToString()), "application/json");
    }

    /// <summary>10,000 levels of nesting, as arrays, objects, and under a real field.</summary>
    public static IEnumerable<FuzzInput> DeepNestingExtremes()
    {
        const int Depth = 10_000;
        yield return Json("deep-arrays", new string('[', Depth) + new string(']', Depth));
        yield return Json("deep-objects", string.Concat(Enumerable.Repeat("{\"a\":", Depth)) + "1" + new string('}', Depth));
        yield return Json("deep-unclosed", new string('[', Depth));
        yield return Json(
            "deep-under-field",
            "{\"cluster\":\"c\",\"group\":\"g\",\"status\":\"OK\",\"partitions\":" + new string('[', Depth) + new string(']', Depth) + ",\"totallag\":1}");
    }

    private static FuzzInput Json(string kind, string body) => new(kind, Encoding.UTF8.GetBytes(body), "application/json");

    private string Valid() => ValidBodies[_random.Next(ValidBodies.Length)];

    private FuzzInput Truncated()
    {
        var body = Valid();
        return Json("truncated", body[.._random.Next(body.Length)]);
    }

    private FuzzInput DeepNesting()
    {
        var depth = _random.Next(1, 2_000);
        var open = _random.Next(2) == 0 ? "[" : "{\"a\":";
        var close = open == "[" ? "]" : "}";
        var balanced = _random.Next(3) != 0;
        var body = string.Concat(Enumerable.Repeat(open, depth)) + (open == "[" ? string.Empty : "1") +
            (balanced ? string.Concat(Enumerable.Repeat(close, depth)) : string.Empty);
        return Json("deep-nesting", body);
    }

    private FuzzInput HugeNumber()
    {
        var digits = new StringBuilder();
        var length = _random.Next(20, 5_000);
        digits.Append(_random.Next(2) == 0 ? "-" : string.Empty).Append((char)('1' + _random.Next(9)));
        for (var i = 1; i < length; i++)
        {
            digits.Append((char)('0' + _random.Next(10)));
        }

        if (_random.Next(2) == 0)
        {
            digits.Append("e+").Append(_random.Next(300, 100_000).ToString(CultureInfo.InvariantCulture));
        }

        return Json("huge-number", ReplaceValue(Valid(), digits.ToString()));
    }

    private FuzzInput WrongType() => Json("wrong-type", ReplaceValue(Valid(), WrongValues[_random.Next(WrongValues.Length)]));

    /// <summary>Replaces the value of one known field (chosen at random among those present) with <paramref name="value"/>.</summary>
    private string ReplaceValue(string body, string value)
    {
        var present = FieldNames.Where(f => body.Contains('"' + f + "\":", StringComparison.Ordinal)).ToList();
        var field = present[_random.Next(present.Count)];
        var key = '"' + field + "\":";
        var start = body.IndexOf(key, StringComparison.Ordinal) + key.Length;
        var end = ValueEnd(body, start);
        return string.Concat(body.AsSpan(0, start), value, body.AsSpan(end));
    }

    /// <summary>Where the JSON value starting at <paramref name="start"/> ends (the bodies are well formed).</summary>
    private static int ValueEnd(string body, int start)
    {
        var depth = 0;
        var inString = false;
        for (var i = start; i < body.Length; i++)
        {
            var c = body[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                    if (depth == 0)
                    {
                        return i + 1;
                    }
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    inString = true;
                    break;
                case '[' or '{':
                    depth++;
                    break;
                case ']' or '}':
                    if (depth == 0)
                    {
                        return i;
                    }

                    depth--;
                    if (depth == 0)
                    {
                        return i + 1;
                    }

                    break;
                case ',' when depth == 0:
                    return i;
                default:
                    break;
            }
        }

        return body.Length;
    }

    private FuzzInput InvalidUtf8()
    {
        var bytes = Encoding.UTF8.GetBytes(Valid()).ToList();
        byte[][] bad = [[0xC3], [0xFF], [0xFE], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0xF8, 0x88, 0x80, 0x80, 0x80], [0x80], [0xE2, 0x82]];
        var inserts = _random.Next(1, 4);
        for (var i = 0; i < inserts; i++)
        {
            bytes.InsertRange(_random.Next(bytes.Count), bad[_random.Next(bad.Length)]);
        }

        return new FuzzInput("invalid-utf8", [.. bytes], "application/json");
    }

    private FuzzInput RandomBytes()
    {
        var bytes = new byte[_random.Next(0, 4_096)];
        _random.NextBytes(bytes);
        return new FuzzInput("random-bytes", bytes, "application/json");
    }

    private FuzzInput ByteMutation()
    {
        var bytes = Encoding.UTF8.GetBytes(Valid());
        var flips = _random.Next(1, 8);
        for (var i = 0; i < flips; i++)
        {
            bytes[_random.Next(bytes.Length)] = (byte)_random.Next(256);
        }

        return new FuzzInput("byte-mutation", bytes, "application/json");
    }

    private FuzzInput WrongContentType() =>
        new("wrong-content-type", Encoding.UTF8.GetBytes(Valid()), MediaTypes[_random.Next(MediaTypes.Length)]);

    private FuzzInput DuplicateAndStrayTokens()
    {
        string[] tails = ["]", "}", ",", "garbage", "{}", "\u0000", "//comment", "/* c */", "'x'"];
        var body = Valid();
        return _random.Next(3) switch
        {
            0 => Json("stray-tokens", body + tails[_random.Next(tails.Length)]),
            1 => Json("stray-tokens", tails[_random.Next(tails.Length)] + body),
            _ => Json("duplicate-keys", "{\"cluster\":\"a\",\"cluster\":\"b\",\"group\":\"g\",\"group\":1,\"status\":\"OK\",\"totallag\":1,\"totallag\":\"x\"}"),
        };
    }
}
