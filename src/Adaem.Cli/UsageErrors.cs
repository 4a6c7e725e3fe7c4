using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Adaem.Cli;

/// <summary>
/// Says what is wrong with a command line in the user's words. System.CommandLine names the .NET type it
/// failed to convert to (<c>System.Nullable`1[System.Int32]</c>); adaem names the option, what it takes,
/// the value given, and an example.
/// </summary>
internal static class UsageErrors
{
    public static string Describe(ParseError error)
    {
        if (
            error.SymbolResult is OptionResult { Option: var option } result
            && Expected(option.ValueType) is { } expected
            && result.Tokens.FirstOrDefault(t => !Converts(t.Value, option.ValueType)) is { } bad
        )
        {
            return $"option '{option.Name}' takes {expected.What}, not '{bad.Value}'. Fix: write e.g. {option.Name} {expected.Example}";
        }
        return error.Message;
    }

    private static (string What, string Example)? Expected(Type type) =>
        (Nullable.GetUnderlyingType(type) ?? type) switch
        {
            var t when t == typeof(int) || t == typeof(long) => ("a whole number", "10"),
            var t when t == typeof(double) || t == typeof(float) => ("a number", "0.5"),
            var t when t == typeof(bool) => ("true or false", "true"),
            _ => null,
        };

    private static bool Converts(string value, Type type) =>
        (Nullable.GetUnderlyingType(type) ?? type) switch
        {
            var t when t == typeof(int) => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
            var t when t == typeof(long) => long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
            var t when t == typeof(double) || t == typeof(float) => double.TryParse(
                value,
                NumberStyles.Float,
                CultureInfo.InvariantCulture,
                out _
            ),
            var t when t == typeof(bool) => bool.TryParse(value, out _),
            _ => true,
        };
}
