using Adaem.Core.Configuration;
using Adaem.Core.Evaluation;
using Adaem.Core.Models;
using Adaem.Core.Theory;
using Adaem.Storage;

namespace Adaem.Cli;

/// <summary>
/// The one place where `adaem generate` gets its model pool and its opinion judging. Both come from
/// other parts of the project (the call engine's ModelPool in Adaem.Providers, the evaluation stage's
/// IOpinionJudging); until those are merged these factories say so, and the command exits 1 with that
/// message. Tests drive <see cref="GenerateStage"/> with their own factories instead.
/// </summary>
internal static class GenerationWiring
{
    /// <summary>Every model of the config, wrapped in the call engine (durable cache, limits, ledger) and bound to <paramref name="run"/>.</summary>
    public static IModelPool CreatePool(AdaemConfig config, ValueTheory theory, AdaemStore store, string run) =>
        throw new NotImplementedException("the model pool (Adaem.Providers.ModelPool) is not wired into 'adaem generate' in this build");

    /// <summary>Answers and judges with <paramref name="judgeModel"/>, asking each model for <paramref name="opinions"/> key points; persists to <paramref name="store"/>.</summary>
    public static IOpinionJudging CreateJudging(AdaemConfig config, ValueTheory theory, IModelPool pool, AdaemStore store, string judgeModel, int opinions) =>
        throw new NotImplementedException("opinion judging (IOpinionJudging of the evaluation stage) is not wired into 'adaem generate' in this build");
}
