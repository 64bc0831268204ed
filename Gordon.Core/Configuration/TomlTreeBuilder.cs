using System.Globalization;
using Gordon.Abstractions.Configuration;

namespace Gordon.Core.Configuration;

/// <summary>
/// Builds a <see cref="ConfigTable"/> from Tomlyn's parse events. Tomlyn reports a table that is opened again
/// (<c>[a]</c> after <c>[a.b]</c>, a second <c>[[jobs]]</c>) as a new start of the same key, so tables and
/// arrays stay mutable until the whole file is read.
/// </summary>
internal sealed class TomlTreeBuilder
{
    private readonly string _file;
    private readonly Stack<object> _open = new();
    private Table? _root;
    private string? _pendingKey;
    private ConfigLocation? _pendingLocation;

    public TomlTreeBuilder(string file) => _file = file;

    public void Property(string key, ConfigLocation? location)
    {
        _pendingKey = key;
        _pendingLocation = location;

        // An array-of-tables element has no position of its own in the event stream; its first key is the
        // nearest thing a user can find.
        if (_open.TryPeek(out var top) && top is Table { Location: null } table)
        {
            table.Location = location;
        }
    }

    public void StartTable(ConfigLocation? location)
    {
        if (_open.Count == 0)
        {
            _root ??= new Table(string.Empty, null);
            _open.Push(_root);
            return;
        }

        switch (_open.Peek())
        {
            case Table parent:
            {
                var key = TakeKey(out var keyLocation);
                if (parent.Entries.TryGetValue(key, out var existing))
                {
                    _open.Push(existing.Value switch
                    {
                        Table reopened => reopened,
                        Array { Items.Count: > 0 } array when array.Items[^1].Value is Table last => last,
                        _ => throw Duplicate(parent, key, keyLocation),
                    });
                    return;
                }

                var table = new Table(Join(parent.Path, key), keyLocation ?? location);
                parent.Add(key, new Entry(table, keyLocation ?? location));
                _open.Push(table);
                return;
            }

            case Array array:
            {
                var table = new Table(ElementPath(array), location);
                array.Items.Add(new Entry(table, location));
                _open.Push(table);
                return;
            }

            default:
                throw new InvalidOperationException("Unexpected TOML parse state.");
        }
    }

    public void EndTable() => _open.Pop();

    public void StartArray(ConfigLocation? location)
    {
        switch (_open.Peek())
        {
            case Table parent:
            {
                var key = TakeKey(out var keyLocation);
                if (parent.Entries.TryGetValue(key, out var existing))
                {
                    // A later [[jobs]] header appends to the array the first one made.
                    _open.Push(existing.Value as Array ?? throw Duplicate(parent, key, keyLocation));
                    return;
                }

                var array = new Array(Join(parent.Path, key));
                parent.Add(key, new Entry(array, keyLocation ?? location));
                _open.Push(array);
                return;
            }

            case Array outer:
            {
                var array = new Array(ElementPath(outer));
                outer.Items.Add(new Entry(array, location));
                _open.Push(array);
                return;
            }

            default:
                throw new InvalidOperationException("Unexpected TOML parse state.");
        }
    }

    public void EndArray() => _open.Pop();

    public void Scalar(object value, ConfigLocation? location)
    {
        switch (_open.Peek())
        {
            case Table parent:
            {
                // A key's value is located at its key: that is where a user looks for "line 12".
                var key = TakeKey(out var keyLocation);
                if (parent.Entries.ContainsKey(key))
                {
                    throw Duplicate(parent, key, keyLocation);
                }

                parent.Add(key, new Entry(value, keyLocation ?? location));
                return;
            }

            case Array array:
                array.Items.Add(new Entry(value, location));
                return;

            default:
                throw new InvalidOperationException("Unexpected TOML parse state.");
        }
    }

    public ConfigTable Result() => _root is null ? ConfigTable.Empty : Freeze(_root);

    private static ConfigTable Freeze(Table table) =>
        new(table.Path, table.Order.Select(key => new KeyValuePair<string, ConfigValue>(key, Freeze(table.Entries[key]))));

    private static ConfigValue Freeze(Entry entry) => entry.Value switch
    {
        Table table => new ConfigValue(Freeze(table), entry.Location ?? table.Location),
        Array array => new ConfigValue(new ConfigArray(array.Items.Select(Freeze)), entry.Location),
        _ => new ConfigValue(entry.Value, entry.Location),
    };

    private static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;

    private static string ElementPath(Array array) =>
        array.Path + "[" + array.Items.Count.ToString(CultureInfo.InvariantCulture) + "]";

    private string TakeKey(out ConfigLocation? location)
    {
        var key = _pendingKey ?? throw new InvalidOperationException("A TOML value arrived without a key.");
        location = _pendingLocation;
        _pendingKey = null;
        _pendingLocation = null;
        return key;
    }

    private ConfigException Duplicate(Table parent, string key, ConfigLocation? location) =>
        new([new ConfigProblem(Join(parent.Path, key), "is defined more than once", location ?? new ConfigLocation(_file, 1, 1))]);

    private sealed class Table(string path, ConfigLocation? location)
    {
        public string Path { get; } = path;

        public ConfigLocation? Location { get; set; } = location;

        public Dictionary<string, Entry> Entries { get; } = new(StringComparer.Ordinal);

        public List<string> Order { get; } = [];

        public void Add(string key, Entry entry)
        {
            Entries.Add(key, entry);
            Order.Add(key);
        }
    }

    private sealed class Array(string path)
    {
        public string Path { get; } = path;

        public List<Entry> Items { get; } = [];
    }

    private sealed record Entry(object Value, ConfigLocation? Location);
}
