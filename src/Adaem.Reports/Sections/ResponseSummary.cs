using Adaem.Core.Theory;
using Adaem.RunFiles;

namespace Adaem.Reports.Sections;

/// <summary>
/// What the report takes from responses.jsonl, read in one pass that keeps no answer's text: per player (a model, or
/// model@language in a cross-lingual evaluation) and question, the share of its judged samples that expressed each value
/// (the numbers <see cref="Core.Analysis.ExpressionShares"/> gives, in the same order), the line of its first judged
/// answer there (whose key points the report shows if the question separates the models), and how many answers the file
/// holds and how many failed. At the paper's size (12,310 questions × 16 targets) the file holds about 200,000 answers
/// with their key points; the report needs their texts for a few dozen of them.
/// </summary>
public sealed class ResponseSummary
{
    private readonly Dictionary<string, Dictionary<string, int>> _firstLines;
    private readonly bool _asPlayers;

    private ResponseSummary(
        bool asPlayers,
        string path,
        int count,
        int failed,
        Dictionary<string, IReadOnlyDictionary<string, double[]>> expressed,
        Dictionary<string, Dictionary<string, int>> firstLines
    )
    {
        _asPlayers = asPlayers;
        Path = path;
        Count = count;
        Failed = failed;
        Expressed = expressed;
        _firstLines = firstLines;
    }

    /// <summary>The responses.jsonl this was read from.</summary>
    public string Path { get; }

    /// <summary>Answers in the file, failed ones included.</summary>
    public int Count { get; }

    /// <summary>Answers marked failed (they count as missing, never as "expressed nothing").</summary>
    public int Failed { get; }

    /// <summary>Per player: question id → per value (theory order), the share of its judged samples that expressed it.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, double[]>> Expressed { get; }

    /// <summary>The line of <paramref name="player"/>'s first judged answer to <paramref name="question"/>.</summary>
    public int FirstLine(string player, string question) => _firstLines[player][question];

    /// <summary>
    /// <paramref name="player"/>'s first judged answer to <paramref name="question"/> among <paramref name="records"/> (the lines
    /// read again by <see cref="RunOutputs.ReadResponseLines"/>). The file is read twice; when it was replaced in between (an
    /// evaluate or export writing the run while the report reads it) the line holds another answer or none, and this
    /// says so instead of showing another model's key points.
    /// </summary>
    public ResponseRecord FirstAnswer(IReadOnlyDictionary<int, ResponseRecord> records, string player, string question)
    {
        var line = FirstLine(player, question);
        if (
            records.TryGetValue(line, out var record)
            && record.Failure is null
            && record.QuestionId == question
            && (_asPlayers ? Html.ReportWriter.Player(record.Model, record.Language) : record.Model) == player
        )
            return record;
        throw new Core.Errors.InputException(
            Path,
            line,
            $"responses.jsonl changed while the report read it (this line no longer holds {player}'s answer to {question})",
            "run 'adaem report' again once no evaluate or export is writing this run"
        );
    }

    /// <summary>
    /// Reads <paramref name="path"/> once, answer by answer; with <paramref name="asPlayers"/> an answer counts for model@language.
    /// </summary>
    public static ResponseSummary Read(string path, ValueTheory theory, bool asPlayers, CancellationToken cancellationToken = default)
    {
        var cells = new Dictionary<string, Dictionary<string, Cell>>(StringComparer.Ordinal);
        var players = new Dictionary<(string, string?), string>();
        int count = 0,
            failed = 0;
        foreach (var answer in RunOutputs.TallyResponses(path))
        {
            if ((++count & 4095) == 0)
                cancellationToken.ThrowIfCancellationRequested();
            if (answer.Failed)
            {
                failed++;
                continue;
            }
            var player = asPlayers ? PlayerOf(players, answer.Model, answer.Language) : answer.Model;
            if (!cells.TryGetValue(player, out var byQuestion))
                cells[player] = byQuestion = new(StringComparer.Ordinal);
            if (!byQuestion.TryGetValue(answer.QuestionId, out var cell))
                byQuestion[answer.QuestionId] = cell = new Cell(new double[theory.Count], answer.Line);
            foreach (var code in answer.Expressed)
            {
                var i = theory.IndexOf(code);
                if (i >= 0)
                    cell.Sum[i] += 1;
            }
            cell.Samples++;
        }

        var expressed = new Dictionary<string, IReadOnlyDictionary<string, double[]>>(StringComparer.Ordinal);
        var firstLines = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        foreach (var (player, byQuestion) in cells)
        {
            var shares = new Dictionary<string, double[]>(byQuestion.Count, StringComparer.Ordinal);
            var lines = new Dictionary<string, int>(byQuestion.Count, StringComparer.Ordinal);
            foreach (var (question, cell) in byQuestion)
            {
                // The sums become shares in place: one array per player and question, as ExpressionShares divides them.
                for (var i = 0; i < cell.Sum.Length; i++)
                    cell.Sum[i] /= cell.Samples;
                shares[question] = cell.Sum;
                lines[question] = cell.FirstLine;
            }
            expressed[player] = shares;
            firstLines[player] = lines;
        }
        return new ResponseSummary(asPlayers, path, count, failed, expressed, firstLines);
    }

    private static string PlayerOf(Dictionary<(string, string?), string> players, string model, string? language)
    {
        if (!players.TryGetValue((model, language), out var player))
            players[(model, language)] = player = Html.ReportWriter.Player(model, language);
        return player;
    }

    /// <summary>One player's answers to one question so far: per value, how many samples expressed it.</summary>
    private sealed class Cell(double[] sum, int firstLine)
    {
        public double[] Sum { get; } = sum;
        public int FirstLine { get; } = firstLine;
        public int Samples { get; set; }
    }
}
