namespace Gordon.Plugins.Burrow.Parsing;

/// <summary>The kinds of body <c>POST /burrow</c> accepts.</summary>
internal enum BodyShape
{
    /// <summary>Karrot's template: <c>{"Event": {Cluster, Group, ID, Start, Extras, Result}}</c>.</summary>
    KarrotEnvelope,

    /// <summary>A bare ConsumerGroupStatus: <c>{cluster, group, status, …, totallag}</c>.</summary>
    GroupStatus,

    /// <summary>A Burrow v3 <c>/lag</c> or <c>/status</c> response: <c>{error, message, status: {…}, request}</c>.</summary>
    ApiResponse,

    /// <summary>LinkedIn's default POST template: <c>{api_key, app, block, events: [{id, event: {…}}]}</c>; status only.</summary>
    NotifierPost,

    /// <summary>LinkedIn's default close template: <c>{api_key, app, block, ids: [id]}</c>; status only.</summary>
    NotifierClose,
}
