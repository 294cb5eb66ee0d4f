package dev.warmpool.cli;

import dev.warmpool.api.WorkerPoolException;
import dev.warmpool.handler.EventLines;
import dev.warmpool.handler.HandlerPool;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code warmpool listen}: the event listener of the {@code examples} module as a command. Builds a
 * {@link HandlerPool} for a project from the environment ({@code HANDLER_*} and the CLI's own
 * variables, as {@link HandlerPool#fromEnvironment(Path, Map)} reads them) and runs the shared loop,
 * {@link EventLines#serve}: one JSON result line per event on stdout, the summary on stderr.
 *
 * <p>If the pool cannot start ({@code HANDLER_POOL_MODE=pool} and no warm CLI starts), every event is
 * still answered, {@code rejected}, and the exit status is 1, as {@code run} does.
 */
@Command(name = "listen", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        sortOptions = false, usageHelpWidth = 100,
        header = "Run events through warm Claude Code handlers: one result line per event.",
        description = {
                "Reads events as JSON lines (stdin, or --events), {\"handler\": \"triage\", \"event\": {...}},",
                "and runs each, as it is read, through its handler: the project's",
                ".claude/commands/<handler>.md, as one turn of a warm claude CLI (or one cold claude -p, by",
                "HANDLER_POOL_MODE). Each event is answered by one JSON line on stdout, in completion order:",
                "line, handler, success, output, stderr, failure, error, served_by, cost_usd, duration_ms,",
                "turn_duration_ms. A line that is not an event is answered rejected; blank lines are skipped.",
                "A summary goes to stderr: events, failures by kind, warm and cold, processes started,",
                "p50/p90 latency, throughput.",
                ""},
        footer = {"",
                "Environment: HANDLER_POOL_SIZE (3), HANDLER_POOL_MIN (1), HANDLER_POOL_MAX (10),",
                "HANDLER_REQUEST_TIMEOUT (seconds, 300), HANDLER_MAX_REQUESTS (100), HANDLER_POOL_MODE",
                "(pool, spawn or auto: the default, warm with a fallback to cold). ANTHROPIC_*, CLAUDE_*,",
                "DISABLE_* and HOME are passed to the CLI.",
                "Exit status: 0 every event succeeded, 1 an event failed or the events could not be read,",
                "2 bad arguments or variables.",
                "",
                "Examples:",
                "  ./warmpool listen --project /srv/my-project --events events.jsonl",
                "  echo '{\"handler\":\"triage\",\"event\":{\"id\":1}}' | ./warmpool listen --project .",
                "  consume-events | ./warmpool listen --project . --metrics-port 9400",
                "Reference: docs/command.md, docs/handlers.md."})
final class ListenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    Main parent;

    @Option(names = {"-p", "--project"}, paramLabel = "DIR", required = true,
            description = "The project whose .claude/commands hold the handlers; the CLI runs there.")
    Path project;

    @Option(names = {"-e", "--events"}, paramLabel = "FILE",
            description = "Read the events from FILE instead of stdin.")
    Path events;

    @Option(names = "--claude", paramLabel = "PROGRAM", defaultValue = "claude",
            description = "The claude program (default: ${DEFAULT-VALUE}, found on PATH).")
    String claude;

    @Option(names = {"-v", "--verbose"}, description = "Log the pool's work (workers started, stopped, replaced) to stderr.")
    boolean verbose;

    @Mixin
    MetricsOptions metrics;

    @Override
    public Integer call() throws IOException {
        if (verbose && System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
        }
        if (!Files.isDirectory(project)) {
            throw new ParameterException(spec.commandLine(), "invalid value for option '--project': '" + project
                    + "' is not a directory");
        }
        try (BufferedReader in = open(); HandlerPool pool = pool(parent.environment())) {
            ListenState state = new ListenState(pool);
            // before any worker starts: a port in use is a bad argument (exit 2), not a failed run
            Optional<MetricsServer> server = metrics.start(spec, state::prometheus, state::health);
            server.ifPresent(s -> System.err.println("warmpool listen: serving /metrics and /health on " + s.url()));
            try {
                try {
                    pool.start();
                    state.stage(ListenState.Stage.RUNNING);
                } catch (WorkerPoolException e) {
                    // the pool is shut down now: the loop answers every event rejected, so none goes unanswered
                    state.stage(ListenState.Stage.FAILED);
                    System.err.println("warmpool listen: cannot start the handler pool: " + e.getMessage());
                }
                return EventLines.serve(pool, in, System.out, System.err).exitStatus();
            } finally {
                state.stage(ListenState.Stage.STOPPING);
                server.ifPresent(MetricsServer::close);
            }
        }
    }

    /** The example's set-up: the variables from the environment, the CLI's HOME the command's. */
    private HandlerPool pool(Map<String, String> env) {
        try {
            HandlerPool.Builder builder = HandlerPool.fromEnvironment(project, env).command(claude);
            if (env.containsKey("HOME")) {
                builder.environment("HOME", env.get("HOME")); // where the CLI keeps its settings
            }
            return builder.build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private BufferedReader open() throws IOException {
        if (events == null) {
            return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        }
        if (!Files.isReadable(events) || Files.isDirectory(events)) {
            throw new ParameterException(spec.commandLine(), "invalid value for option '--events': cannot read '"
                    + events + "'" + (Files.exists(events) ? "" : ": no such file"));
        }
        return Files.newBufferedReader(events, StandardCharsets.UTF_8);
    }
}
