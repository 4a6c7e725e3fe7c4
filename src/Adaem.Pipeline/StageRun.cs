using Adaem.Core.Configuration;
using Adaem.Core.Models;
using Adaem.Storage;

namespace Adaem.Pipeline;

/// <summary>
/// The one place a stage's status is kept in the store: running while it works, then done (with a one-line
/// note), interrupted (Ctrl-C: the same command resumes) or failed (with the reason). A failure caused by a
/// model call is turned into a message that names the model and the fix (<see cref="StageFailure"/>).
/// </summary>
internal sealed class StageRun(StageContext context, string stage)
{
    /// <summary>The pool the stage calls through, once made: its scrubber cleans the failure messages.</summary>
    public IModelPool? Pool { get; set; }

    public async Task<T> TrackAsync<T>(Func<Task<T>> work, Func<T, string> note)
    {
        var store = context.Store;
        store.SetRunStage(context.Run, stage, "running");
        try
        {
            var result = await work().ConfigureAwait(false);
            store.SetRunStage(context.Run, stage, "done", note(result));
            return result;
        }
        catch (OperationCanceledException)
        {
            store.SetRunStage(context.Run, stage, "interrupted", "run the same command again to resume");
            throw;
        }
        catch (Exception e)
        {
            store.SetRunStage(context.Run, stage, "failed", e.Message);
            if (Explain(e, context.Config) is { } failure)
                throw failure;
            throw;
        }
    }

    private Exception? Explain(Exception e, AdaemConfig config) =>
        Pool is null ? null : StageFailure.Explain(e, stage, config, ModelPools.Scrubber(Pool));
}
