namespace Adaem.Core.Evaluation;

/// <summary>
/// The results of a batch of evaluation items, filled in whatever order the items finish, with the
/// running counts (done, read back from the store, failed) reported as each one finishes.
/// </summary>
internal sealed class ItemResults(int total, IProgress<EvaluationProgress>? progress)
{
    private readonly JudgedResponse[] _results = new JudgedResponse[total];
    private int _done,
        _reused,
        _failed;

    public IReadOnlyList<JudgedResponse> Results => _results;

    public void Finish(int index, JudgedResponse response, bool reused)
    {
        _results[index] = response;
        var d = Interlocked.Increment(ref _done);
        var r = reused ? Interlocked.Increment(ref _reused) : Volatile.Read(ref _reused);
        var f = response.Failed ? Interlocked.Increment(ref _failed) : Volatile.Read(ref _failed);
        progress?.Report(new EvaluationProgress(d, total, r, f));
    }
}
