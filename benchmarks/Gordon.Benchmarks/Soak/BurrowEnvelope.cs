using System.Globalization;
using System.Text;

namespace Gordon.Benchmarks.Soak;

/// <summary>A Karrot-style Burrow notifier envelope with 8 partitions, as Burrow's HTTP notifier sends it.</summary>
internal static class BurrowEnvelope
{
    public static byte[] Create(string cluster, string group, long lag, DateTimeOffset now)
    {
        var start = now.ToUnixTimeMilliseconds();
        var partitions = new StringBuilder();
        for (var p = 0; p < 8; p++)
        {
            partitions.Append(CultureInfo.InvariantCulture, $$"""
                {"topic":"events","partition":{{p}},"owner":"host-{{p % 2}}","client_id":"consumer-{{p % 2}}","status":"WARN","start":{"offset":{{1000 + p}},"timestamp":{{start - 60000}},"observedAt":{{start - 60000}},"lag":{{lag}}},"end":{"offset":{{2000 + p}},"timestamp":{{start}},"observedAt":{{start}},"lag":{{lag + p}}},"current_lag":{{lag + p}},"complete":1.0}
                """);
            if (p < 7)
            {
                partitions.Append(',');
            }
        }

        var total = (8 * lag) + 28;
        return Encoding.UTF8.GetBytes($$$"""
            {"Event":{"Cluster":"{{{cluster}}}","Group":"{{{group}}}","ID":"incident-{{{group}}}","Start":"{{{now.AddMinutes(-5):O}}}","Extras":{},"Result":{"cluster":"{{{cluster}}}","group":"{{{group}}}","status":"WARN","complete":1.0,"partitions":[{{{partitions}}}],"partition_count":8,"maxlag":{"topic":"events","partition":7,"owner":"host-1","client_id":"consumer-1","status":"WARN","start":{"offset":1007,"timestamp":{{{start - 60000}}},"observedAt":{{{start - 60000}}},"lag":{{{lag}}}},"end":{"offset":2007,"timestamp":{{{start}}},"observedAt":{{{start}}},"lag":{{{lag + 7}}}},"current_lag":{{{lag + 7}}},"complete":1.0},"totallag":{{{total}}}
            """ + "}}}");
    }
}
