using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Gordon.Core.Plugins;

/// <summary>
/// Reads plugin names and the contract reference straight from an assembly's metadata. Reflection cannot do this
/// for exactly the assemblies that need it most: one built against another contract version, or missing a
/// dependency, fails to load its types, yet its failure must still name the plugin so the host knows whether
/// <c>[core] plugins</c> wanted it.
/// </summary>
internal static class PluginMetadataReader
{
    private const string AttributeNamespace = "Gordon.Abstractions.Plugins";
    private const string AttributeName = "GordonPluginAttribute";
    private const string ContractAssemblyName = "Gordon.Abstractions";

    /// <summary>Reads the metadata of an assembly file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The plugin names and contract version.</returns>
    /// <exception cref="BadImageFormatException">The file is not a .NET assembly.</exception>
    public static PluginMetadata Read(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        if (!pe.HasMetadata)
        {
            throw new BadImageFormatException("the file has no .NET metadata", path);
        }

        var reader = pe.GetMetadataReader();
        if (!reader.IsAssembly)
        {
            throw new BadImageFormatException("the file is a .NET module, not an assembly", path);
        }

        Version? contract = null;
        foreach (var handle in reader.AssemblyReferences)
        {
            var reference = reader.GetAssemblyReference(handle);
            if (reader.StringComparer.Equals(reference.Name, ContractAssemblyName))
            {
                contract = reference.Version;
            }
        }

        var names = new List<string>();
        foreach (var typeHandle in reader.TypeDefinitions)
        {
            foreach (var attributeHandle in reader.GetTypeDefinition(typeHandle).GetCustomAttributes())
            {
                if (TryReadPluginName(reader, reader.GetCustomAttribute(attributeHandle), out var name))
                {
                    names.Add(name);
                }
            }
        }

        return new PluginMetadata(names, contract);
    }

    private static bool TryReadPluginName(MetadataReader reader, CustomAttribute attribute, out string name)
    {
        name = string.Empty;

        // A plugin's attribute type lives in Gordon.Abstractions, so its constructor is a reference, never a definition.
        if (attribute.Constructor.Kind != HandleKind.MemberReference)
        {
            return false;
        }

        var constructor = reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor);
        if (constructor.Parent.Kind != HandleKind.TypeReference)
        {
            return false;
        }

        var type = reader.GetTypeReference((TypeReferenceHandle)constructor.Parent);
        if (!reader.StringComparer.Equals(type.Name, AttributeName) || !reader.StringComparer.Equals(type.Namespace, AttributeNamespace))
        {
            return false;
        }

        // Custom attribute blob (ECMA-335 II.23.3): prolog 0x0001, then the fixed arguments; the first is the name.
        var blob = reader.GetBlobReader(attribute.Value);
        if (blob.Length < 2 || blob.ReadUInt16() != 1)
        {
            return false;
        }

        var value = blob.ReadSerializedString();
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        name = value;
        return true;
    }
}
