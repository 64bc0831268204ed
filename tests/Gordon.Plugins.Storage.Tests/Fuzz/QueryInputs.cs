using System.Globalization;
using System.Text;
using CsCheck;

namespace Gordon.Plugins.Storage.Tests.Fuzz;

/// <summary>One query parameter as sent: its key and value, each either percent-encoded by the test or sent raw.</summary>
/// <param name="Key">The key, decoded.</param>
/// <param name="Value">The value, decoded; null sends the key alone (<c>?limit</c>).</param>
/// <param name="RawValue">True to send <paramref name="Value"/> as it is (it holds deliberate percent-garbage).</param>
internal sealed record QueryPart(string Key, string? Value, bool RawValue = false)
{
    public string Encode() =>
        Value is null ? Uri.EscapeDataString(Key)
        : Uri.EscapeDataString(Key) + "=" + (RawValue ? Value : Uri.EscapeDataString(Value));
}

/// <summary>One request of the fuzz run: a path and its query, and whether it is valid (so must be answered 200).</summary>
/// <param name="Path">The request path, already encoded.</param>
/// <param name="Parts">The query parameters in order.</param>
/// <param name="Valid">True when the query is well formed: the answer must be 200.</param>
internal sealed record QueryInput(string Path, IReadOnlyList<QueryPart> Parts, bool Valid)
{
    public string PathAndQuery => Parts.Count == 0 ? Path : Path + "?" + string.Join('&', Parts.Select(p => p.Encode()));

    public override string ToString() => (Valid ? "valid " : "garbage ") + PathAndQuery;
}

/// <summary>
/// Seeded generators of <c>GET /v2/events</c> queries (random and adversarial q.field/q.op/q.value/q.type groups with
/// parts repeated, missing or out of order, huge numbers, bad dates, unknown operators and types, invalid
/// percent-encoding, long values, NUL and control characters, limit/marker/sort garbage) and of the event type
/// endpoints' paths and queries, mixed with well-formed queries that must succeed.
/// </summary>
internal static class QueryInputs
{
    public static readonly string[] StoredIds = ["id_Foo_0", "id_Bar_100", "id_Zoo_200", "id_Foo_300", "id_Bar_400", "id_Zoo_500", "we\"ird\\id\n", "ünï-cødé-ид", "%41 percent"];

    private static readonly string[] Keys = ["q.field", "q.op", "q.value", "q.type", "limit", "sort", "marker", "all_tenants"];

    private static readonly string[] Fields = ["event_type", "message_id", "start_timestamp", "end_timestamp", "all_tenants", "trait_A", "trait_B", "trait_C", "trait_D", "no_such_trait"];

    private static readonly string[] Ops = ["eq", "ne", "lt", "le", "gt", "ge"];

    private static readonly string[] BadOps = ["", "EQ", "el", "=", "==", "<", "like", "in", "eq ", " eq", "eq\0", "gte", "nE"];

    private static readonly string[] Types = ["integer", "float", "string", "datetime", ""];

    private static readonly string[] BadTypes = ["Integer", "int", "bool", "boolean", "none", "datetime ", "float\0", "string;", "STRING"];

    private static readonly string[] Numbers =
    [
        "0", "-0", "1", "-1", "101", "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
        "2147483647", "2147483648", "-2147483649", "1e309", "-1e309", "1e-400", "NaN", "Infinity", "-Infinity", "∞", "0x10", "1_000",
        "1,5", "1.5", "+5", " 5", "5 ", "٣", "１２", "00000000000000000000000001", "1e", "e1", ".", "-", "+", "1.7976931348623157E+309",
        new string('9', 400), "-" + new string('9', 4000),
    ];

    private static readonly string[] Dates =
    [
        "2014-01-01T05:00:00", "2013-12-31T05:00:00Z", "2014-01-02T05:00:00+01:00", "2014-13-45T25:61:61", "0000-00-00",
        "9999-12-31T23:59:59.9999999+14:00", "9999-12-31T23:59:59.9999999-14:00", "0001-01-01T00:00:00+14:00", "0001-01-01T00:00:00-14:00",
        "yesterday", "1388552400", "2014-01-01T00:00:00.00000000000000000001", "2014-02-30", "2014-01-01T00:00:00+99:00",
        "2014-01-01 05:00", "Wed, 01 Jan 2014 05:00:00 GMT", "T", "", "2014-01-01T05:00:00\0",
    ];

    // Sent raw: percent signs that do not start a valid escape, escapes of invalid UTF-8 (a lone continuation byte,
    // an overlong slash, a CESU-8 surrogate, a truncated sequence), encoded NUL and controls.
    private static readonly string[] RawGarbage =
    [
        "%", "%%", "%zz", "%2", "%g0", "abc%", "%C3%28", "%80", "%C0%AF", "%ED%A0%80", "%F0%9F%98", "%FF%FE", "%00", "%00%00abc",
        "%0A%0D", "%1B%5B31m", "%7F", "%2525", "%E2%80%AE", "%EF%BB%BF", "%26%3D", "a%20b%2Bc+d", "%u0041", "%C3",
    ];

    private static readonly string[] Limits = ["-2", "-1", "0", "1", "10", "10000", "10001", "2147483647", "2147483648", "-2147483649", "abc", "", "1.5", " 5", "+5", "0x10", "1e3", "٣", "5\0"];

    private static readonly string[] Sorts =
    [
        "message_id", "generated", "message_id:asc", "generated:desc", "generated:", ":asc", ":", "", "message_id:asc:desc",
        "invalid_key:desc", "message_id:bah", "MESSAGE_ID", "generated:DESC", "generated :desc", "generated\0:asc",
    ];

    private static readonly Gen<char> AnyChar = Gen.Char['\0', '\uD7FF'];

    private static readonly Gen<char> ControlChar = Gen.Char['\0', '\u001F'];

    private static readonly Gen<string> Text = Gen.Frequency(
        (5, Gen.String[Gen.Char.AlphaNumeric, 0, 12]),
        (3, Gen.String[AnyChar, 0, 24]),
        (2, Gen.String[ControlChar, 1, 8]),
        (1, Gen.Int[500, 3_000].Select(n => new string('x', n))),
        (1, Gen.String[AnyChar, 200, 600]));

    private static readonly Gen<string> ValueText = Gen.Frequency(
        (4, Text),
        (3, Gen.OneOfConst(Numbers)),
        (3, Gen.OneOfConst(Dates)),
        (2, Gen.OneOfConst(StoredIds)),
        (2, Gen.OneOfConst("my_Foo_text", "my_Bar_text", "Foo", "Bar", "Zoo", "' OR 1=1 --", "%", "_", "\\", "\"", "*", "true", "null")));

    private static readonly Gen<string> KeyGen = Gen.Frequency(
        (12, Gen.OneOfConst(Keys)),
        (1, Gen.OneOfConst("Q.FIELD", "q.field[]", "q.field ", " q.field", "q", "", "q.Field", "q.value\0", "LIMIT", "q.field.x", "bad_Stuff_here")),
        (1, Text));

    private static readonly Gen<QueryPart> AnyValuePart = Gen.Frequency(
        (6, ValueText.Select(v => (string?)v).Select(v => (v, false))),
        (2, Gen.OneOfConst(RawGarbage).Select(v => ((string?)v, true))),
        (1, Gen.Const(((string?)null, false))))
        .SelectMany(v => KeyGen.Select(k => new QueryPart(k, v.Item1, v.Item2)));

    private static readonly Gen<QueryPart> FieldPart = Gen.Frequency(
        (6, Gen.OneOfConst(Fields)),
        (1, Text))
        .Select(f => new QueryPart("q.field", f));

    private static readonly Gen<QueryPart> OpPart = Gen.Frequency(
        (5, Gen.OneOfConst(Ops)),
        (2, Gen.OneOfConst(BadOps)),
        (1, Text))
        .Select(o => new QueryPart("q.op", o));

    private static readonly Gen<QueryPart> TypePart = Gen.Frequency(
        (5, Gen.OneOfConst(Types)),
        (2, Gen.OneOfConst(BadTypes)),
        (1, Text))
        .Select(t => new QueryPart("q.type", t));

    private static readonly Gen<QueryPart> ValuePart = Gen.Frequency(
        (8, ValueText.Select(v => new QueryPart("q.value", v))),
        (1, Gen.OneOfConst(RawGarbage).Select(v => new QueryPart("q.value", v, RawValue: true))));

    // One q.field/q.op/q.value/q.type group, each part present or not (so counts mismatch across groups).
    private static readonly Gen<QueryPart[]> Triple = Gen.Select(
        FieldPart, OpPart, ValuePart, TypePart, Gen.Int[0, 15])
        .Select((field, op, value, type, missing) => new[]
        {
            (missing & 1) == 0 ? field : null,
            (missing & 2) == 0 ? op : null,
            (missing & 4) == 0 || missing == 15 ? value : null,
            (missing & 8) == 0 ? type : null,
        }.OfType<QueryPart>().ToArray());

    private static readonly Gen<QueryPart> PagingPart = Gen.OneOf(
        Gen.Frequency((4, Gen.OneOfConst(Limits)), (1, Text)).Select(v => new QueryPart("limit", v)),
        Gen.Frequency((4, Gen.OneOfConst(Sorts)), (1, Text)).Select(v => new QueryPart("sort", v)),
        Gen.Frequency((3, Gen.OneOfConst(StoredIds)), (2, Text)).Select(v => new QueryPart("marker", v)),
        Gen.OneOfConst(RawGarbage).Select(v => new QueryPart("marker", v, RawValue: true)),
        Gen.Frequency((3, Gen.OneOfConst("true", "false", "1", "0", "yes", "", "maybe", "TRUE", "t\0")), (1, Text)).Select(v => new QueryPart("all_tenants", v)));

    private static readonly Gen<QueryInput> GarbageEvents = Gen.Select(
        Triple.Array[0, 4], PagingPart.Array[0, 3], AnyValuePart.Array[0, 3], Gen.Int[0, 2])
        .Select((triples, paging, stray, order) =>
        {
            IEnumerable<QueryPart> parts = order switch
            {
                0 => triples.SelectMany(t => t).Concat(paging).Concat(stray),
                1 => stray.Concat(paging).Concat(triples.SelectMany(t => t)),
                // Parts grouped by key, as Panko's clients send them (q.field=a&q.field=b&q.op=…).
                _ => triples.SelectMany(t => t).Concat(paging).Concat(stray).OrderBy(p => p.Key, StringComparer.Ordinal),
            };
            return new QueryInput("/v2/events", [.. parts], Valid: false);
        });

    // Well-formed filters with values of the declared type, valid paging: these must be answered 200.
    private static readonly Gen<QueryPart[]> ValidTrait = Gen.OneOf(
        Gen.Select(Gen.OneOfConst(Ops), Gen.OneOfConst("my_Foo_text", "my_Bar_text", string.Empty, "x\ty", "' OR 1=1 --"), Gen.Bool)
            .Select((op, v, typed) => Filter("trait_A", op, v, typed ? "string" : string.Empty)),
        Gen.Select(Gen.OneOfConst(Ops), Gen.Long).Select((op, v) => Filter("trait_B", op, v.ToString(CultureInfo.InvariantCulture), "integer")),
        Gen.Select(Gen.OneOfConst(Ops), Gen.Double[-1e300, 1e300]).Select((op, v) => Filter("trait_C", op, v.ToString("R", CultureInfo.InvariantCulture), "float")),
        Gen.Select(Gen.OneOfConst(Ops), Gen.Int[-100_000, 100_000]).Select((op, hours) =>
            Filter("trait_D", op, new DateTime(2014, 1, 1, 5, 0, 0, DateTimeKind.Utc).AddHours(hours).ToString("s", CultureInfo.InvariantCulture), "datetime")),
        Gen.OneOfConst("Foo", "Bar", "Zoo", "Nope").Select(t => Filter("event_type", string.Empty, t, string.Empty)),
        Gen.OneOfConst(StoredIds).Select(id => Filter("message_id", "eq", id, string.Empty)),
        Gen.Int[-100_000, 100_000].Select(h => Filter("start_timestamp", "ge", new DateTime(2014, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddHours(h).ToString("s", CultureInfo.InvariantCulture), string.Empty)),
        Gen.Int[-100_000, 100_000].Select(h => Filter("end_timestamp", "le", new DateTime(2014, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddHours(h).ToString("s", CultureInfo.InvariantCulture), string.Empty)));

    private static readonly Gen<QueryInput> ValidEvents = Gen.Select(
        ValidTrait.Array[0, 3],
        Gen.Int[0, 10_000].Select(l => l.ToString(CultureInfo.InvariantCulture)).Array[0, 1],
        Gen.OneOfConst("message_id", "generated", "message_id:asc", "message_id:desc", "generated:asc", "generated:desc").Array[0, 2],
        Gen.OneOfConst(StoredIds).Array[0, 1])
        .Select((filters, limit, sort, marker) =>
        {
            // Every filter names its op and type (empty is the default), so the counts line up.
            var parts = new List<QueryPart>();
            foreach (var key in new[] { "q.field", "q.op", "q.value", "q.type" })
            {
                parts.AddRange(filters.SelectMany(f => f).Where(p => p.Key == key));
            }

            parts.AddRange(limit.Select(l => new QueryPart("limit", l)));
            parts.AddRange(sort.Select(s => new QueryPart("sort", s)));
            parts.AddRange(marker.Select(m => new QueryPart("marker", m)));
            return new QueryInput("/v2/events", parts, Valid: true);
        });

    // The event type endpoints read no query; any query, and any (encoded) type name, must still be a clean answer.
    private static readonly Gen<string> TypeSegment = Gen.Frequency(
        (3, Gen.OneOfConst("Foo", "Bar", "Zoo", "NO_SUCH_EVENT_TYPE", "we\"ird type", "ünï")),
        (3, Text.Where(t => t.Length > 0 && t is not ("." or ".."))))
        .Select(Uri.EscapeDataString);

    private static readonly Gen<QueryInput> EventTypes = Gen.Select(
        Gen.Frequency((1, Gen.Const((string?)null)), (2, TypeSegment.Select(s => (string?)s))),
        Gen.Frequency((2, AnyValuePart), (1, PagingPart), (1, FieldPart)).Array[0, 4])
        .Select((type, parts) => new QueryInput(type is null ? "/v2/event_types" : $"/v2/event_types/{type}/traits", parts, Valid: true));

    public static Gen<QueryInput> All { get; } = Gen.Frequency((6, GarbageEvents), (2, ValidEvents), (2, EventTypes));

    private static QueryPart[] Filter(string field, string op, string value, string type) =>
        [new("q.field", field), new("q.op", op), new("q.value", value), new("q.type", type)];

    /// <summary>Every decoded key and non-empty value of a query, as the server reads them.</summary>
    public static IEnumerable<string> Names(string pathAndQuery)
    {
        var question = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        if (question < 0)
        {
            yield break;
        }

        foreach (var (key, values) in Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(pathAndQuery[question..]))
        {
            yield return key;
            foreach (var value in values)
            {
                if (!string.IsNullOrEmpty(value))
                {
                    yield return value;
                }
            }
        }
    }

    /// <summary>Shows a string with its control characters visible, for failure messages.</summary>
    public static string Visible(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.Length > 300 ? text[..300] + "…" : text)
        {
            builder.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString());
        }

        return builder.ToString();
    }
}
