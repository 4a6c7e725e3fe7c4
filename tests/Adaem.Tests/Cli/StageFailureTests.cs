using Adaem.Cli;
using Adaem.Core.Configuration;
using Adaem.Core.Errors;
using Adaem.Core.Models;
using Adaem.Pipeline;
using Adaem.Providers.Engine;
using Adaem.Tests.Providers;
using Adaem.Tests.Support;

namespace Adaem.Tests.Cli;

/// <summary>A model that stops a stage: the message names it, says what happened without secrets, what to fix, and how to resume (exit
/// 1).</summary>
public sealed class StageFailureTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private AdaemConfig Config() =>
        ConfigLoader.Load(
            _dir.Write(
                "adaem.yaml",
                """
                store: adaem.db
                models:
                  gpt:   { provider: openai, model: gpt-4o-mini, api_key_env: ADAEM_TEST_UNSET_KEY }
                  local: { provider: openai-compatible, base_url: "http://user:pw@127.0.0.1:9/v1?token=abc", model: qwen, timeout_s: 5 }
                  judge: { provider: simulated }
                judge: { model: judge }
                evaluation: { targets: [gpt, local] }
                """
            )
        );

    /// <summary>As the commands call it: with the scrubber the config's model pool would have.</summary>
    private static RunFailedException? Explain(Exception error, string stage, AdaemConfig config) =>
        StageFailure.Explain(error, stage, config, SecretScrubber.For(config, Environment.GetEnvironmentVariable));

    [Fact]
    public void A_quota_stop_names_the_model_the_key_variable_and_the_way_to_resume()
    {
        var config = Config();
        var call = new ModelCallException(
            "gpt",
            ModelCallFailure.Quota,
            1,
            402,
            "model 'gpt': Quota (HTTP 402): insufficient_quota for key sk-abcdefghijklmnopqrstuv (not retried)"
        );
        var failure = Explain(new InvalidOperationException("wrapped", call), "evaluate", config);

        Assert.NotNull(failure);
        Assert.Same(call, failure.InnerException);
        Assert.StartsWith(
            "model 'gpt' (openai gpt-4o-mini) stopped the evaluate stage: its quota or credit is used up (HTTP 402)",
            failure.Message
        );
        Assert.Contains("ADAEM_TEST_UNSET_KEY", failure.Message);
        Assert.Contains($"{config.Path}:3", failure.Message);
        Assert.Contains("then run the same command again to resume", failure.Message);
        Assert.DoesNotContain("sk-abcdefghijklmnopqrstuv", failure.Message);
        Assert.Contains("[redacted]", failure.Message);
    }

    [Fact]
    public void Repeated_failures_say_how_often_and_what_to_change_and_the_endpoint_loses_its_user_info()
    {
        var config = Config();
        var timeouts = Explain(
            new ModelCallException(
                "local",
                ModelCallFailure.Timeout,
                5,
                null,
                "model 'local': Timeout: no reply (gave up after 5 attempt(s))"
            ),
            "generate",
            config
        )!;
        Assert.StartsWith(
            "model 'local' (openai-compatible qwen at http://127.0.0.1:9/v1?token=[redacted]) stopped the generate stage: no reply within its timeout after 5 attempts",
            timeouts.Message
        );
        Assert.Contains("raise timeout_s of 'local'", timeouts.Message);
        Assert.DoesNotContain("pw@", timeouts.Message);
        Assert.DoesNotContain("token=abc", timeouts.Message);

        var key = Explain(
            new ModelCallException("gpt", ModelCallFailure.Unauthorized, 1, 401, "model 'gpt': Unauthorized (HTTP 401): bad key"),
            "evaluate",
            config
        )!;
        Assert.Contains("the provider refused the key in the environment variable ADAEM_TEST_UNSET_KEY (HTTP 401)", key.Message);
        Assert.Contains("export ADAEM_TEST_UNSET_KEY with a valid key that may use model 'gpt-4o-mini'", key.Message);
    }

    [Fact]
    public void Among_failures_at_once_the_one_that_stops_the_run_explains_it_and_other_errors_are_left_alone()
    {
        var config = Config();
        var aggregate = new AggregateException(
            new ModelCallException("local", ModelCallFailure.ServerError, 3, 503, "model 'local': ServerError (HTTP 503): busy"),
            new ModelCallException("gpt", ModelCallFailure.Quota, 1, 429, "model 'gpt': Quota (HTTP 429): insufficient_quota")
        );
        Assert.StartsWith("model 'gpt'", Explain(aggregate, "evaluate", config)!.Message);
        Assert.Null(Explain(new IOException("disk full"), "evaluate", config));
        Assert.Null(Explain(new OperationCanceledException(), "evaluate", config));
    }

    [Fact]
    public async Task Evaluate_against_a_provider_out_of_quota_exits_1_keeps_every_finished_call_and_resumes()
    {
        const int answered = 5;
        await using var stub = await OpenAIStub.StartAsync(TestContext.Current.CancellationToken);
        using var setup = new StubEvaluation(stub, questions: 12);
        stub.Script = r =>
            r.Number <= answered
                ? StubEvaluation.Opinion(r)
                : StubReply.Error(402, $"You exceeded your current quota (key {StubEvaluation.Key}).", "insufficient_quota");

        var failed = await CliProcess.RunAsync(setup.Directory, StubEvaluation.Environment, setup.Evaluate);

        Assert.True(failed.ExitCode == 1, failed.All);
        Assert.Contains("failed: model 'remote' (openai-compatible stub-model at http://127.0.0.1:", failed.Stderr);
        Assert.Contains("its quota or credit is used up (HTTP 402)", failed.Stderr);
        Assert.Contains(StubEvaluation.KeyVariable, failed.Stderr);
        Assert.Contains("then run the same command again to resume", failed.Stderr);
        Assert.DoesNotContain("0123456789abcdef", failed.All);
        Assert.Contains("evaluate stopped: answers judged", failed.Stdout);
        var (remoteAnswers, remoteFailures) = setup.Ledger("remote");
        Assert.Equal(answered, remoteAnswers);
        Assert.True(remoteFailures >= 1); // each refused request is a ledger row too (how many were in flight varies)
        Assert.True(setup.Ledger("local").Answered > 0);
        Assert.Equal("evaluate:failed", setup.RunStatus());

        var finished = stub.Requests.Where(r => r.Number <= answered).Select(r => r.Prompt).ToList();
        stub.Script = StubEvaluation.Opinion;
        var resumed = await CliProcess.RunAsync(setup.Directory, StubEvaluation.Environment, setup.Evaluate);

        Assert.True(resumed.ExitCode == 0, resumed.All);
        Assert.Contains("evaluate done: answers judged 24/24 (100%)", resumed.Stdout);
        Assert.All(finished, p => Assert.Equal(1, stub.CountOf(p))); // nothing finished was asked again
        Assert.Equal(12, setup.Ledger("remote").Answered);
        Assert.Equal("evaluate:done", setup.RunStatus());
    }

    [Fact]
    public async Task Generate_with_a_refused_key_exits_1_and_says_which_variable_to_fix()
    {
        await using var stub = await OpenAIStub.StartAsync(TestContext.Current.CancellationToken);
        stub.Script = _ => StubReply.Error(401, $"Incorrect API key provided: {StubEvaluation.Key}", "invalid_api_key");
        var config = _dir.Write(
            "generate.yaml",
            $$"""
            store: adaem.db
            models:
              remote: { provider: openai-compatible, base_url: "{{stub.BaseUrl}}", model: stub-model, api_key_env: {{StubEvaluation.KeyVariable}} }
              e2: { provider: simulated, seed: 2 }
              s3: { provider: simulated, seed: 3 }
              judge: { provider: simulated, seed: 99 }
            judge: { model: judge }
            generation: { explorers: [remote, e2], scorers: [remote, e2, s3], budget: 2, max_arms: 3 }
            evaluation: { targets: [e2, s3] }
            """
        );

        var r = await CliProcess.RunAsync(_dir.Path, StubEvaluation.Environment, "generate", "-c", config, "--quiet");

        Assert.True(r.ExitCode == 1, r.All);
        Assert.Contains("failed: model 'remote' (openai-compatible stub-model at http://127.0.0.1:", r.Stderr);
        Assert.Contains(
            "stopped the generate stage: the provider refused the key in the environment variable ADAEM_TEST_REMOTE_KEY (HTTP 401)",
            r.Stderr
        );
        Assert.Contains(
            $"Fix: export {StubEvaluation.KeyVariable} with a valid key that may use model 'stub-model'; then run the same command again to resume.",
            r.Stderr
        );
        Assert.DoesNotContain("0123456789abcdef", r.All);
        Assert.Contains("generate stopped: ", r.Stdout);
    }

    [Fact]
    public async Task Evaluate_against_a_provider_that_keeps_failing_exits_1_after_the_retries_and_says_what_to_change()
    {
        await using var stub = await OpenAIStub.StartAsync(TestContext.Current.CancellationToken);
        using var setup = new StubEvaluation(stub, questions: 4, concurrency: 1, maxRetries: 1);
        stub.Script = _ => StubReply.Error(500, "the model is overloaded", retryAfter: "0");

        var failed = await CliProcess.RunAsync(setup.Directory, StubEvaluation.Environment, setup.Evaluate);

        Assert.True(failed.ExitCode == 1, failed.All);
        Assert.Contains("failed: model 'remote'", failed.Stderr);
        Assert.Contains("the provider kept failing (HTTP 500) after 2 attempts", failed.Stderr);
        Assert.Contains("raise max_retries of 'remote'", failed.Stderr);
        Assert.Contains("the model is overloaded", failed.Stderr);
        Assert.Contains("then run the same command again to resume", failed.Stderr);
        // The failing item's two attempts, and at most the two of the one item that was already waiting at the model's
        // limit (its lane is twice its concurrency) when the failure stopped the stage: not the eight of all four questions.
        Assert.InRange(setup.Ledger("remote").Failed, 2, 4);
    }
}
