namespace Gordon.Plugins.Burrow.Tests.Support;

/// <summary>Bodies modelled on karrot-burrow.md §2.7 (cluster prod-east, group orders-enricher, six partitions of "orders").</summary>
internal static class BurrowBodies
{
    public const string IncidentId = "3f0b6c1e-9a4d-4c2b-8e7f-5d1a2b3c4d5e";

    public const string WarnPartitions = """
        [{"topic":"orders","partition":1,"owner":"/10.20.3.17","client_id":"orders-enricher-2","status":"WARN",
          "start":{"offset":5001200,"timestamp":1718000000000,"observedAt":1718000000041,"lag":1200},
          "end":{"offset":5013400,"timestamp":1718000540000,"observedAt":1718000540037,"lag":4650},"current_lag":4810,"complete":1},
         {"topic":"orders","partition":4,"owner":"/10.20.3.18","client_id":"orders-enricher-5","status":"WARN",
          "start":{"offset":4870050,"timestamp":1718000002000,"observedAt":1718000002052,"lag":900},
          "end":{"offset":4881900,"timestamp":1718000542000,"observedAt":1718000542049,"lag":3700},"current_lag":3920,"complete":1}]
        """;

    /// <summary>(c) Karrot envelope, open WARN.</summary>
    public static readonly string KarrotOpenWarn = """
        {"Event":{"Cluster":"prod-east","Group":"orders-enricher","ID":"3f0b6c1e-9a4d-4c2b-8e7f-5d1a2b3c4d5e",
          "Start":"2024-06-10T06:22:35.418207144Z","Extras":{"env":"prod","team":"payments"},
          "Result":{"cluster":"prod-east","group":"orders-enricher","status":"WARN","complete":1,
            "partitions":
        """ + WarnPartitions + """
        ,
            "partition_count":6,
            "maxlag":{"topic":"orders","partition":1,"owner":"/10.20.3.17","client_id":"orders-enricher-2","status":"WARN",
              "start":{"offset":5001200,"timestamp":1718000000000,"observedAt":1718000000041,"lag":1200},
              "end":{"offset":5013400,"timestamp":1718000540000,"observedAt":1718000540037,"lag":4650},
              "current_lag":4810,"complete":1},
            "totallag":8785}}}
        """;

    /// <summary>(d) Karrot envelope, close OK: same incident, status OK.</summary>
    public const string KarrotCloseOk = """
        {"Event":{"Cluster":"prod-east","Group":"orders-enricher","ID":"3f0b6c1e-9a4d-4c2b-8e7f-5d1a2b3c4d5e",
          "Start":"2024-06-10T06:22:35.418207144Z","Extras":{"env":"prod","team":"payments"},
          "Result":{"cluster":"prod-east","group":"orders-enricher","status":"OK","complete":1,"partitions":[],"partition_count":6,
            "maxlag":{"topic":"orders","partition":4,"owner":"/10.20.3.18","client_id":"orders-enricher-5","status":"OK",
              "start":{"offset":4893100,"timestamp":1718001080000,"observedAt":1718001080044,"lag":2100},
              "end":{"offset":4899870,"timestamp":1718001620000,"observedAt":1718001620040,"lag":0},
              "current_lag":57,"complete":1},
            "totallag":143}}}
        """;

    /// <summary>(e) A threshold-1 periodic OK send: no incident.</summary>
    public const string KarrotPeriodicOk = """
        {"Event":{"Cluster":"prod-east","Group":"orders-enricher","ID":"","Start":"0001-01-01T00:00:00Z","Extras":{},
          "Result":{"cluster":"prod-east","group":"orders-enricher","status":"OK","complete":1,"partitions":[],"partition_count":6,
            "maxlag":{"topic":"orders","partition":4,"owner":"/10.20.3.18","status":"OK",
              "start":{"offset":4893100,"timestamp":1718001080000,"lag":2100},
              "end":{"offset":4899870,"timestamp":1718001620000,"lag":null},
              "current_lag":57,"complete":1},
            "totallag":143}}}
        """;

    /// <summary>Karrot's own tests/samples/event.json: no client_id/observedAt, a corrupted Start, empty partitions.</summary>
    public const string KarrotSample = """
        {"Event":{"Cluster":"local","Group":"topicA_consumer","ID":"","Start":"0001-01-01T00: 00: 00Z","Extras":{"key1":"v1","key2":"v2"},
          "Result":{"cluster":"local","group":"topicA_consumer","status":"OK","complete":1,"partitions":[],"partition_count":3,
            "maxlag":{"topic":"topicA","partition":0,"owner":"/172.18.0.5","status":"OK",
              "start":{"offset":100,"timestamp":1574000000000,"lag":0},"end":{"offset":701,"timestamp":1574000060000,"lag":601},
              "current_lag":601,"complete":1},
            "totallag":601}}}
        """;

    /// <summary>An envelope with every nullable value null.</summary>
    public const string KarrotNulls = """
        {"Event":{"Cluster":"c1","Group":"g1","ID":"","Start":null,"Extras":null,
          "Result":{"cluster":"c1","group":"g1","status":"STOP","complete":0.5,
            "partitions":[{"topic":"t","partition":0,"owner":"","status":"STOP","start":null,"end":null,"current_lag":12,"complete":0.5}],
            "partition_count":2,"maxlag":null,"totallag":12}}}
        """;

    /// <summary>A bare ConsumerGroupStatus with every partition listed (as from /lag).</summary>
    public const string BareStatus = """
        {"cluster":"prod-east","group":"billing","status":"OK","complete":1,
         "partitions":[{"topic":"invoices","partition":0,"owner":"/10.0.0.1","client_id":"b-1","status":"OK",
                        "start":{"offset":10,"timestamp":1,"observedAt":2,"lag":0},"end":{"offset":20,"timestamp":3,"observedAt":4,"lag":5},
                        "current_lag":5,"complete":1},
                       {"topic":"invoices","partition":1,"owner":"/10.0.0.2","client_id":"b-2","status":"OK",
                        "start":{"offset":30,"timestamp":1,"lag":0},"end":{"offset":40,"timestamp":3,"lag":0},"current_lag":0,"complete":1}],
         "partition_count":2,
         "maxlag":{"topic":"invoices","partition":0,"owner":"/10.0.0.1","client_id":"b-1","status":"OK","start":null,"end":null,"current_lag":5,"complete":1},
         "totallag":5}
        """;

    /// <summary>A v3 /lag answer (every partition).</summary>
    public static string ApiLag(string cluster = "prod-east", string group = "billing", long totalLag = 5) => $$$"""
        {"error":false,"message":"consumer status returned",
         "status":{"cluster":"{{{cluster}}}","group":"{{{group}}}","status":"OK","complete":1,
           "partitions":[{"topic":"invoices","partition":0,"owner":"/10.0.0.1","client_id":"b-1","status":"OK",
                          "start":{"offset":10,"timestamp":1,"observedAt":2,"lag":0},"end":{"offset":20,"timestamp":3,"observedAt":4,"lag":{{{totalLag}}}},
                          "current_lag":{{{totalLag}}},"complete":1},
                         {"topic":"payments","partition":0,"owner":"/10.0.0.2","client_id":"b-2","status":"OK",
                          "start":{"offset":30,"timestamp":1,"lag":0},"end":{"offset":40,"timestamp":3,"lag":0},"current_lag":0,"complete":1}],
           "partition_count":2,
           "maxlag":{"topic":"invoices","partition":0,"owner":"/10.0.0.1","client_id":"b-1","status":"OK","current_lag":{{{totalLag}}},"complete":1},
           "totallag":{{{totalLag}}}},
         "request":{"url":"/v3/kafka/{{{cluster}}}/consumer/{{{group}}}/lag","host":"burrow-1"}}
        """;

    /// <summary>A v3 /status answer (non-OK partitions only).</summary>
    public const string ApiStatus = """
        {"error":false,"message":"consumer status returned",
         "status":{"cluster":"prod-east","group":"orders-enricher","status":"WARN","complete":1,"partitions":
        """ + WarnPartitions + """
        ,"partition_count":6,"maxlag":null,"totallag":8785},
         "request":{"url":"/v3/kafka/prod-east/consumer/orders-enricher/status","host":"burrow-1"}}
        """;

    /// <summary>(a) LinkedIn's default POST template, open WARN: no cluster, no totallag.</summary>
    public static readonly string NotifierPost = """
        {"api_key":"k-7f3a","app":"burrow","block":false,"events":[{"id":"3f0b6c1e-9a4d-4c2b-8e7f-5d1a2b3c4d5e","event":{
         "severity":"WARN","tier":"STG","group":"orders-enricher","start":"Jun 10, 2024 06:22:35 UTC","complete":1,"partitions":
        """ + WarnPartitions + "}}]}";

    /// <summary>(b) LinkedIn's default close template, with .ID fixed.</summary>
    public const string NotifierClose = """{"api_key":"k-7f3a","app":"burrow","block":false,"ids":["3f0b6c1e-9a4d-4c2b-8e7f-5d1a2b3c4d5e"]}""";

    /// <summary>A Karrot envelope with <paramref name="partitions"/> partitions of topic "orders", all WARN (the benchmark's body).</summary>
    public static string KarrotWithPartitions(int partitions, string group = "orders-enricher", long lagEach = 100)
    {
        var items = string.Join(",", Enumerable.Range(0, partitions).Select(p => $$$"""
            {"topic":"orders","partition":{{{p}}},"owner":"/10.20.3.{{{p}}}","client_id":"orders-enricher-{{{p}}}","status":"WARN",
             "start":{"offset":{{{5000000 + p}}},"timestamp":1718000000000,"observedAt":1718000000041,"lag":1200},
             "end":{"offset":{{{5010000 + p}}},"timestamp":1718000540000,"observedAt":1718000540037,"lag":4650},"current_lag":{{{lagEach}}},"complete":1}
            """));
        return $$$"""
            {"Event":{"Cluster":"prod-east","Group":"{{{group}}}","ID":"3f0b6c1e-9a4d-4c2b-8e7f-5d1a2b3c4d5e",
              "Start":"2024-06-10T06:22:35.418207144Z","Extras":{"env":"prod"},
              "Result":{"cluster":"prod-east","group":"{{{group}}}","status":"WARN","complete":1,"partitions":[{{{items}}}],
                "partition_count":{{{partitions}}},
                "maxlag":{"topic":"orders","partition":0,"owner":"/10.20.3.0","client_id":"orders-enricher-0","status":"WARN","current_lag":{{{lagEach}}},"complete":1},
                "totallag":{{{lagEach * partitions}}}}}
            """ + "}";
    }
}
