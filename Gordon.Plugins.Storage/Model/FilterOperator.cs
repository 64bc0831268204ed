namespace Gordon.Plugins.Storage.Model;

/// <summary>A trait filter's comparison, as Panko names them.</summary>
internal enum FilterOperator
{
    /// <summary>Equal.</summary>
    Eq,

    /// <summary>Not equal; only events that have the trait match.</summary>
    Ne,

    /// <summary>Less than.</summary>
    Lt,

    /// <summary>Less than or equal.</summary>
    Le,

    /// <summary>Greater than.</summary>
    Gt,

    /// <summary>Greater than or equal.</summary>
    Ge,
}
