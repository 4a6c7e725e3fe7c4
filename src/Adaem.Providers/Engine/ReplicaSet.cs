namespace Adaem.Providers.Engine;

/// <summary>
/// The identity of a model served by several replicas (base_url as a list). Its endpoint is the stable name
/// <see cref="Endpoint"/>, not the servers: replicas serve the same model, so which one answers must not
/// change what an answer is keyed by. A list of servers in the identity (even sorted and without credentials)
/// would make every routine change to a fleet (a server added, one that died taken out, an address changed)
/// a new instrument: the whole cache missed, and a run stopped as a changed instrument. What tells two models
/// apart is still there: provider kind, the model id the servers serve, and the sampling options. Two fleets
/// that serve different weights under the same model id share answers, so give them different served model
/// ids. Moving from one base_url to a list (or back) changes the identity once.
/// </summary>
internal static class ReplicaSet
{
    /// <summary>The endpoint identity of every replicated model.</summary>
    public const string Endpoint = "replicas";

    /// <summary>The identity of the replica set that <paramref name="first"/> (a replica's own identity) belongs to.</summary>
    public static ModelIdentity Identity(ModelIdentity first) => first with { Endpoint = Endpoint };
}
