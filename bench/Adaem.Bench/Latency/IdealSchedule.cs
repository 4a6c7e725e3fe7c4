namespace Adaem.Bench.Latency;

/// <summary>
/// The shortest call phase an evaluation can have when every call takes exactly one latency and each model keeps at
/// most its concurrency in flight: the limit the configured concurrency implies. Each target answers its questions
/// in rounds of its concurrency from the first request on; an answer's judgment can be asked only once the answer
/// is back, and the judge takes the waiting judgments in the order their answers came back, into the first free
/// slot. For calls of equal length with release times on identical slots, that order gives the shortest schedule,
/// so no client can finish earlier.
/// </summary>
internal static class IdealSchedule
{
    /// <param name="questions">Questions each target answers (one call each).</param>
    /// <param name="targets">Target models, each with <paramref name="concurrency"/> slots of its own.</param>
    /// <param name="concurrency">Every model's concurrency, the judge's too.</param>
    /// <param name="latency">How long every call takes.</param>
    public static TimeSpan CallPhase(int questions, int targets, int concurrency, TimeSpan latency)
    {
        // When each answer is back, in latencies from the first request: round r of a target ends at r + 1.
        var answered = Enumerable
            .Range(0, targets)
            .SelectMany(_ => Enumerable.Range(0, questions).Select(q => q / concurrency + 1L))
            .Order()
            .ToList();
        var slots = new PriorityQueue<long, long>();
        for (var s = 0; s < concurrency; s++)
            slots.Enqueue(0, 0);
        long end = 0;
        foreach (var ready in answered)
        {
            var free = slots.Dequeue();
            var done = Math.Max(free, ready) + 1;
            end = Math.Max(end, done);
            slots.Enqueue(done, done);
        }
        return latency * end;
    }

    /// <summary>
    /// The bound as if calls were a fluid: the judge's calls over its calls per second, ignoring that it waits one latency for
    /// the first answer and that its calls go in whole rounds. No schedule reaches it; printed for comparison.
    /// </summary>
    public static TimeSpan Fluid(int questions, int targets, int concurrency, TimeSpan latency) =>
        latency * ((double)questions * targets / concurrency);
}
