using System.CommandLine;
using Adaem.Storage;

namespace Adaem.Cli.Commands;

/// <summary>
/// Hidden diagnostic: writes N ledger rows to a store as fast as it can. Tests start several of these
/// as real processes on one file to prove concurrent writers do not corrupt it.
/// </summary>
internal static class StoreWriterCommand
{
    public static Command Create()
    {
        var store = new Option<string>("--store") { Required = true };
        var count = new Option<int>("--count") { DefaultValueFactory = _ => 200 };
        var tag = new Option<string>("--tag") { DefaultValueFactory = _ => "w" };
        var cmd = new Command("store-writer", "diagnostic: concurrent store writer") { store, count, tag };
        cmd.Hidden = true;
        cmd.SetAction(parse =>
        {
            var s = AdaemStore.Open(parse.GetValue(store)!);
            var t = parse.GetValue(tag)!;
            s.EnsureRun(t, "diagnostic");
            for (var i = 0; i < parse.GetValue(count); i++)
            {
                s.RecordCall(
                    new ModelCallRecord
                    {
                        Key = $"{t}-{i}",
                        Run = t,
                        Stage = "diagnostic",
                        Model = "m",
                        Provider = "simulated",
                        RequestJson = "{}",
                        ResponseText = $"answer {i}",
                        InputTokens = 1,
                        OutputTokens = 1,
                        LatencyMs = 0,
                    }
                );
            }
            return 0;
        });
        return cmd;
    }
}
