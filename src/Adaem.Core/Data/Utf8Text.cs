using System.Buffers;
using System.Globalization;
using System.Text.Unicode;
using Adaem.Core.Errors;

namespace Adaem.Core.Data;

/// <summary>
/// Reads a user's text file as strict UTF-8. .NET's readers silently turn bytes that are not UTF-8 into
/// U+FFFD, so a config or question file saved as Latin-1 would send mangled text (or a mangled model id)
/// to the providers; here the first such byte stops the command with the file and its line.
/// </summary>
public static class Utf8Text
{
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    /// <summary>The text of <paramref name="path"/> (a UTF-8 byte order mark is allowed and dropped).</summary>
    /// <exception cref="InputException">At the first byte that is not valid UTF-8.</exception>
    public static string Read(string path) => Decode(File.ReadAllBytes(path), path);

    /// <summary>Decodes <paramref name="bytes"/> as strict UTF-8; <paramref name="file"/> names them in the error.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes, string file)
    {
        if (bytes.StartsWith(Bom))
            bytes = bytes[Bom.Length..];
        var chars = ArrayPool<char>.Shared.Rent(Math.Max(1, bytes.Length));
        try
        {
            var status = Utf8.ToUtf16(bytes, chars, out var read, out var written, replaceInvalidSequences: false, isFinalBlock: true);
            if (status == OperationStatus.Done)
                return new string(chars, 0, written);
            var line = bytes[..read].Count((byte)'\n') + 1;
            var lineStart = bytes[..read].LastIndexOf((byte)'\n') + 1;
            var column = read - lineStart + 1;
            throw new InputException(
                file,
                line,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"the byte 0x{bytes[read]:X2} at position {column} of this line is not valid UTF-8 (the file may be saved as Latin-1 or Windows-1252)"
                ),
                "save the file as UTF-8 (most editors offer it under 'Save as' or 'Encoding')"
            );
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }
}
