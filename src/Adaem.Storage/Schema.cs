namespace Adaem.Storage;

/// <summary>
/// The store's schema as an ordered list of forward migrations. The schema version is SQLite's
/// user_version; migration i takes the file from version i to i+1. Never edit a shipped migration:
/// add a new one.
/// </summary>
internal static class Schema
{
    public static readonly IReadOnlyList<string> Migrations =
    [
        // v1: the foundation tables.
        """
            CREATE TABLE runs (
                name TEXT PRIMARY KEY,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                config_hash TEXT NOT NULL,
                stage TEXT NOT NULL DEFAULT 'created',
                status TEXT NOT NULL DEFAULT 'running',
                detail TEXT
            );

            -- The durable cache and the cost ledger. A successful call is a cache entry (unique key);
            -- failed attempts are ledger rows with an error and are never served from the cache.
            CREATE TABLE model_calls (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                key TEXT NOT NULL,
                run TEXT,
                stage TEXT,
                model TEXT NOT NULL,
                provider TEXT NOT NULL,
                request_json TEXT NOT NULL,
                response_text TEXT,
                input_tokens INTEGER,
                output_tokens INTEGER,
                latency_ms REAL NOT NULL,
                cost REAL,
                error TEXT,
                attempt INTEGER NOT NULL DEFAULT 1,
                created_at TEXT NOT NULL
            );
            CREATE UNIQUE INDEX model_calls_cache ON model_calls(key) WHERE error IS NULL;
            CREATE INDEX model_calls_run ON model_calls(run, stage, model);

            CREATE TABLE seeds (
                run TEXT NOT NULL,
                id TEXT NOT NULL,
                question TEXT NOT NULL,
                argument TEXT,
                category TEXT,
                source TEXT,
                PRIMARY KEY (run, id)
            );

            CREATE TABLE questions (
                run TEXT NOT NULL,
                id TEXT NOT NULL,
                arm TEXT,
                question TEXT NOT NULL,
                argument TEXT,
                seed TEXT,
                category TEXT,
                generator TEXT,
                parent TEXT,
                step INTEGER,
                depth INTEGER NOT NULL DEFAULT 0,
                status TEXT NOT NULL,
                reason TEXT,
                fast_score REAL,
                final_score REAL,
                components_json TEXT,
                created_at TEXT NOT NULL,
                PRIMARY KEY (run, id)
            );
            CREATE INDEX questions_arm ON questions(run, arm);

            CREATE TABLE bandit_steps (
                run TEXT NOT NULL,
                step INTEGER NOT NULL,
                arm TEXT NOT NULL,
                reward REAL,
                pulls INTEGER NOT NULL,
                mean_reward REAL NOT NULL,
                state_json TEXT,
                created_at TEXT NOT NULL,
                PRIMARY KEY (run, step)
            );

            -- Raw answers of target (or scorer) models, exactly as returned.
            CREATE TABLE responses (
                run TEXT NOT NULL,
                question_id TEXT NOT NULL,
                model TEXT NOT NULL,
                sample INTEGER NOT NULL DEFAULT 0,
                purpose TEXT NOT NULL DEFAULT 'evaluate',
                call_key TEXT,
                raw_text TEXT,
                error TEXT,
                created_at TEXT NOT NULL,
                PRIMARY KEY (run, purpose, question_id, model, sample)
            );

            -- What a parser version made of a raw response.
            CREATE TABLE parsed_responses (
                run TEXT NOT NULL,
                question_id TEXT NOT NULL,
                model TEXT NOT NULL,
                sample INTEGER NOT NULL DEFAULT 0,
                purpose TEXT NOT NULL DEFAULT 'evaluate',
                parser_version TEXT NOT NULL,
                stance TEXT,
                opinions_json TEXT,
                parse_ok INTEGER NOT NULL,
                error TEXT,
                PRIMARY KEY (run, purpose, question_id, model, sample, parser_version)
            );

            -- What a judge said of the opinions of one parsed response: labels_json = [[value codes], ...] per opinion.
            CREATE TABLE judgments (
                run TEXT NOT NULL,
                question_id TEXT NOT NULL,
                model TEXT NOT NULL,
                sample INTEGER NOT NULL DEFAULT 0,
                purpose TEXT NOT NULL DEFAULT 'evaluate',
                judge TEXT NOT NULL,
                mode TEXT NOT NULL,
                labels_json TEXT,
                ok INTEGER NOT NULL,
                error TEXT,
                PRIMARY KEY (run, purpose, question_id, model, sample, judge, mode)
            );

            CREATE TABLE scores (
                run TEXT NOT NULL,
                model TEXT NOT NULL,
                value TEXT NOT NULL,
                score REAL NOT NULL,
                ci_low REAL,
                ci_high REAL,
                expressed_rate REAL,
                n INTEGER NOT NULL,
                judge TEXT,
                PRIMARY KEY (run, model, value)
            );
            """,
        // v2: seeds proposed by seed expansion are stored before the arms are chosen; only rows with arm = 1
        // are arms of the run (every v1 row was one).
        """
            ALTER TABLE seeds ADD COLUMN arm INTEGER NOT NULL DEFAULT 1;
            """,
        // v3: trustworthy runs.
        // - Identity by content: every evaluation record carries `item`, the fingerprint of exactly what was
        //   asked (question id and text, the answering model's resolved identity, prompt and options, sample).
        //   A record is served only to the request with the same fingerprint; rows of an earlier instrument
        // are kept but never read into new scores. Rows written before v3 get an item ('v2:...') that no fingerprint equals, so they are
        // never served
        //   (their calls are still in the ledger, so re-asking them is a free cache hit).
        // - run_instruments: the resolved identity of every model and theory a run has used, per role, so a
        //   change that would mix two instruments in one run is caught before any call.
        // - run_leases: one writer per run (process, host, start, heartbeat).
        // - calls_in_flight: calls being asked by some process right now, so another process waits for the
        //   answer instead of paying for it twice.
        """
            CREATE TABLE responses_v3 (
                run TEXT NOT NULL, question_id TEXT NOT NULL, model TEXT NOT NULL, sample INTEGER NOT NULL DEFAULT 0,
                purpose TEXT NOT NULL DEFAULT 'evaluate', item TEXT NOT NULL DEFAULT '', call_key TEXT, raw_text TEXT, error TEXT,
                created_at TEXT NOT NULL,
                PRIMARY KEY (run, purpose, item)
            );
            INSERT INTO responses_v3(run, question_id, model, sample, purpose, item, call_key, raw_text, error, created_at)
                SELECT run, question_id, model, sample, purpose, 'v2:' || question_id || ':' || model || ':' || sample, call_key, raw_text, error, created_at
                FROM responses;
            DROP TABLE responses;
            ALTER TABLE responses_v3 RENAME TO responses;
            CREATE INDEX responses_question ON responses(run, purpose, question_id);

            CREATE TABLE parsed_responses_v3 (
                run TEXT NOT NULL, question_id TEXT NOT NULL, model TEXT NOT NULL, sample INTEGER NOT NULL DEFAULT 0,
                purpose TEXT NOT NULL DEFAULT 'evaluate', item TEXT NOT NULL DEFAULT '', parser_version TEXT NOT NULL,
                stance TEXT, opinions_json TEXT, parse_ok INTEGER NOT NULL, error TEXT,
                PRIMARY KEY (run, purpose, item, parser_version)
            );
            INSERT INTO parsed_responses_v3(run, question_id, model, sample, purpose, item, parser_version, stance, opinions_json, parse_ok, error)
                SELECT run, question_id, model, sample, purpose, 'v2:' || question_id || ':' || model || ':' || sample, parser_version, stance, opinions_json, parse_ok, error
                FROM parsed_responses;
            DROP TABLE parsed_responses;
            ALTER TABLE parsed_responses_v3 RENAME TO parsed_responses;
            CREATE INDEX parsed_responses_question ON parsed_responses(run, purpose, question_id);

            CREATE TABLE judgments_v3 (
                run TEXT NOT NULL, question_id TEXT NOT NULL, model TEXT NOT NULL, sample INTEGER NOT NULL DEFAULT 0,
                purpose TEXT NOT NULL DEFAULT 'evaluate', item TEXT NOT NULL DEFAULT '', judge TEXT NOT NULL, mode TEXT NOT NULL,
                labels_json TEXT, ok INTEGER NOT NULL, error TEXT,
                PRIMARY KEY (run, purpose, item, judge, mode)
            );
            INSERT INTO judgments_v3(run, question_id, model, sample, purpose, item, judge, mode, labels_json, ok, error)
                SELECT run, question_id, model, sample, purpose, 'v2:' || question_id || ':' || model || ':' || sample, judge, mode, labels_json, ok, error
                FROM judgments;
            DROP TABLE judgments;
            ALTER TABLE judgments_v3 RENAME TO judgments;
            CREATE INDEX judgments_question ON judgments(run, purpose, question_id);

            -- The answers (by fingerprint) that the run's current scores were computed from, replaced with the scores.
            CREATE TABLE scored_items (
                run TEXT NOT NULL,
                item TEXT NOT NULL,
                PRIMARY KEY (run, item)
            );

            -- Every instrument a run has used; superseded_at is set when a change was accepted (--accept-changes).
            CREATE TABLE run_instruments (
                run TEXT NOT NULL,
                role TEXT NOT NULL,
                name TEXT NOT NULL,
                identity TEXT NOT NULL,
                since TEXT NOT NULL,
                superseded_at TEXT,
                PRIMARY KEY (run, role, name, identity)
            );

            CREATE TABLE run_leases (
                run TEXT PRIMARY KEY,
                pid INTEGER NOT NULL,
                host TEXT NOT NULL,
                command TEXT NOT NULL,
                token TEXT NOT NULL,
                started_at TEXT NOT NULL,
                heartbeat_at TEXT NOT NULL
            );

            CREATE TABLE calls_in_flight (
                key TEXT PRIMARY KEY,
                token TEXT NOT NULL,
                started_at TEXT NOT NULL,
                heartbeat_at TEXT NOT NULL
            );
            """,
        // v4: the questions (id and text) a run's current scores were computed on, replaced with the scores,
        // so runs are compared by question content, not by ids that two runs may give to different texts.
        """
            CREATE TABLE scored_questions (
                run TEXT NOT NULL,
                question_id TEXT NOT NULL,
                question TEXT NOT NULL,
                PRIMARY KEY (run, question_id)
            );
            """,
        // v5: provider batch jobs (models.NAME.batch). A batch and the call keys (custom ids) of its requests are
        // stored the moment the provider accepts it, so a killed process that is asked a call again waits for the
        // batch it already submitted instead of paying for the request twice. When a batch ends, each request's
        // outcome is stored, with the provider's reply until the ledger has the answer (then it is dropped).
        // model_calls.batch_id: the batch an answer (or failed attempt) came from; null for calls asked one by one.
        """
            CREATE TABLE batches (
                id TEXT PRIMARY KEY,
                model TEXT NOT NULL,
                provider TEXT NOT NULL,
                endpoint TEXT NOT NULL,
                state TEXT NOT NULL,
                requests INTEGER NOT NULL,
                succeeded INTEGER NOT NULL DEFAULT 0,
                failed INTEGER NOT NULL DEFAULT 0,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                collected_at TEXT
            );

            CREATE TABLE batch_requests (
                batch_id TEXT NOT NULL REFERENCES batches(id),
                key TEXT NOT NULL,
                result TEXT,
                error TEXT,
                result_json TEXT,
                PRIMARY KEY (batch_id, key)
            );
            CREATE INDEX batch_requests_key ON batch_requests(key);

            ALTER TABLE model_calls ADD COLUMN batch_id TEXT;
            """,
        // v6: replicated endpoints and plans.
        // - model_calls.endpoint: which server of a replicated model (base_url as a list) answered or failed an
        //   attempt, without credentials; null for models with one endpoint (their endpoint is in request_json).
        //   The cache key never includes it.
        // - run_plans: what `adaem plan --run R` expected a run to cost, per stage, model and prompt role, so
        //   `adaem runs` can set it beside the ledger.
        """
            ALTER TABLE model_calls ADD COLUMN endpoint TEXT;

            CREATE TABLE run_plans (
                run TEXT NOT NULL,
                stage TEXT NOT NULL,
                model TEXT NOT NULL,
                role TEXT NOT NULL,
                calls REAL NOT NULL,
                input_tokens REAL NOT NULL,
                output_tokens REAL NOT NULL,
                cost REAL,
                planned_at TEXT NOT NULL,
                PRIMARY KEY (run, stage, model, role)
            );
            """,
        // v7: cross-lingual evaluation (evaluation.languages) and translation.
        // - translations: every question (or seed question) a translator translated, keyed by the fingerprint of exactly
        //   what was asked (source id and text, source and target language, translator identity, prompt version), with
        //   those parts in columns of their own; a failed translation keeps its error and no text.
        // - scores.language: the language a score was measured in ('' for a run in one language, as every earlier row),
        //   part of the key, so one run holds a score per model, language and value; the table is rebuilt to change its key.
        // - language_shifts: per model and value, the score in language_b minus the score in language_a, with its paired
        //   bootstrap interval over the source questions and the number of questions both answered; replaced with the scores.
        """
            CREATE TABLE translations (
                run TEXT NOT NULL,
                item TEXT NOT NULL,
                source_id TEXT NOT NULL,
                source_fingerprint TEXT NOT NULL,
                source_language TEXT NOT NULL,
                language TEXT NOT NULL,
                translator_model TEXT NOT NULL,
                translator TEXT NOT NULL,
                prompt_version TEXT NOT NULL,
                text TEXT,
                error TEXT,
                call_key TEXT,
                created_at TEXT NOT NULL,
                PRIMARY KEY (run, item)
            );
            CREATE INDEX translations_source ON translations(run, source_id);

            CREATE TABLE scores_v7 (
                run TEXT NOT NULL,
                model TEXT NOT NULL,
                language TEXT NOT NULL DEFAULT '',
                value TEXT NOT NULL,
                score REAL NOT NULL,
                ci_low REAL,
                ci_high REAL,
                expressed_rate REAL,
                n INTEGER NOT NULL,
                judge TEXT,
                PRIMARY KEY (run, model, language, value)
            );
            INSERT INTO scores_v7(run, model, language, value, score, ci_low, ci_high, expressed_rate, n, judge)
                SELECT run, model, '', value, score, ci_low, ci_high, expressed_rate, n, judge FROM scores ORDER BY rowid;
            DROP TABLE scores;
            ALTER TABLE scores_v7 RENAME TO scores;

            CREATE TABLE language_shifts (
                run TEXT NOT NULL,
                model TEXT NOT NULL,
                value TEXT NOT NULL,
                language_a TEXT NOT NULL,
                language_b TEXT NOT NULL,
                shift REAL NOT NULL,
                ci_low REAL,
                ci_high REAL,
                n INTEGER NOT NULL,
                PRIMARY KEY (run, model, value, language_a, language_b)
            );
            """,
    ];

    public static int LatestVersion => Migrations.Count;
}
