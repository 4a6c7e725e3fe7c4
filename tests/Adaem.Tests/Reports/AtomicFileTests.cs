using Adaem.Core.Errors;
using Adaem.RunFiles;
using Adaem.Tests.Support;

namespace Adaem.Tests.Reports;

/// <summary>Output files are replaced whole or not at all: a failing writer or a full disk leaves the previous file byte for
/// byte.</summary>
public sealed class AtomicFileTests
{
    private static readonly byte[] Previous = "model,value,score\nalpha,power,61.5\n"u8.ToArray();

    [Fact]
    public void A_writer_that_throws_part_way_leaves_the_previous_file_and_no_temporary_file()
    {
        using var dir = new TempDir();
        var path = dir.File("scores.csv");
        File.WriteAllBytes(path, Previous);

        var thrown = Assert.Throws<InvalidOperationException>(() =>
            AtomicFile.WriteText(
                path,
                w =>
                {
                    w.WriteLine("model,value,score");
                    w.Flush();
                    throw new InvalidOperationException("a bug half-way through the rows");
                }
            )
        );

        Assert.Equal("a bug half-way through the rows", thrown.Message);
        Assert.Equal(Previous, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void A_full_disk_leaves_the_previous_file_no_temporary_file_and_a_message_naming_the_file()
    {
        using var dir = new TempDir();
        var path = dir.File("responses.jsonl");
        File.WriteAllBytes(path, Previous);
        var line = new byte[1000];
        Array.Fill(line, (byte)'x');

        var error = Assert.Throws<RunFailedException>(() =>
            AtomicFile.Write(
                path,
                s =>
                {
                    for (var i = 0; i < 100; i++)
                        s.Write(line);
                },
                file => new FullDiskStream(file, room: 20_000)
            )
        );

        Assert.Equal(Previous, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(dir.Path));
        Assert.IsType<IOException>(error.InnerException);
        Assert.Contains($"could not write {path}", error.Message);
        Assert.Contains("The previous responses.jsonl (if any) is unchanged", error.Message);
    }

    [Fact]
    public void A_write_replaces_the_file_whole_and_creates_its_folder()
    {
        using var dir = new TempDir();
        var path = dir.Sub("out", "main", "report.html");

        AtomicFile.WriteText(path, "<html>one</html>");
        AtomicFile.WriteText(path, "<html>two</html>");

        Assert.Equal("<html>two</html>", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public void A_temporary_file_left_by_a_dead_process_is_removed_and_one_of_a_live_process_is_not()
    {
        using var dir = new TempDir();
        var path = dir.File("scores.json");
        File.WriteAllBytes(path, Previous);
        var dead = dir.Write($".scores.json.{DeadProcessId()}.0a1b2c{AtomicFile.TempSuffix}", "{\"scores\": [");
        var live = dir.Write($".scores.json.{Environment.ProcessId}.0d0e0f{AtomicFile.TempSuffix}", "{\"sco");
        var other = dir.Write($".radar.svg.{DeadProcessId()}.0a1b2c{AtomicFile.TempSuffix}", "<svg");

        AtomicFile.WriteText(path, "{\"scores\": []}");

        Assert.False(File.Exists(dead));
        Assert.True(File.Exists(live)); // this process could still be writing it
        Assert.True(File.Exists(other)); // another file's leftovers wait for that file's next write
        Assert.Equal("{\"scores\": []}", File.ReadAllText(path));
    }

    /// <summary>A process id no process has now: a child that has exited.</summary>
    private static int DeadProcessId()
    {
        using var p = System.Diagnostics.Process.Start(
            new System.Diagnostics.ProcessStartInfo("dotnet", "--version") { RedirectStandardOutput = true }
        )!;
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return p.Id;
    }

    /// <summary>A file stream on a disk with <c>room</c> bytes free: the write that would pass it fails like ENOSPC.</summary>
    private sealed class FullDiskStream(Stream inner, long room) : Stream
    {
        private long _written;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _written;
        public override long Position
        {
            get => _written;
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (_written + buffer.Length > room)
            {
                inner.Write(buffer[..(int)(room - _written)]);
                _written = room;
                throw new IOException("No space left on device");
            }
            inner.Write(buffer);
            _written += buffer.Length;
        }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
