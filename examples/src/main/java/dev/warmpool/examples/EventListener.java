package dev.warmpool.examples;

import dev.warmpool.handler.EventLines;
import dev.warmpool.handler.HandlerPool;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The original event listener, on warmpool: reads events as JSON lines, one
 * {@code {"handler": "triage", "event": {…}}} per line (from a file, or stdin), runs each through its
 * handler — the project's {@code .claude/commands/<handler>.md} — with a {@link HandlerPool}, and
 * prints one result line per event to stdout as it ends: {@code line}, {@code handler}, then the
 * plan's {@code success}, {@code output}, {@code stderr} and the rest of
 * {@link dev.warmpool.handler.HandlerResult#toMap()}. A summary goes to stderr at the end. This class
 * is the argument handling and the pool's set-up; the loop is {@link EventLines}, which the
 * {@code warmpool listen} command runs too.
 *
 * <pre>
 * java dev.warmpool.examples.EventListener --project /srv/my-project [--events events.jsonl] [--claude /usr/local/bin/claude]
 * </pre>
 *
 * <p>The pool is configured from the environment: {@code HANDLER_POOL_SIZE}, {@code HANDLER_POOL_MIN},
 * {@code HANDLER_POOL_MAX}, {@code HANDLER_REQUEST_TIMEOUT}, {@code HANDLER_MAX_REQUESTS},
 * {@code HANDLER_POOL_MODE}, and the CLI's {@code ANTHROPIC_*}, {@code CLAUDE_*}, {@code DISABLE_*};
 * the listener's {@code HOME} is the CLI's. Events are dispatched as they are read, without waiting
 * for earlier ones. Exit status 0 when every event succeeded, 1 otherwise, 2 for bad arguments.
 */
public final class EventListener {
    private EventListener() {
    }

    /** @param args {@code --project DIR}, and optionally {@code --events FILE} and {@code --claude PROGRAM} */
    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.in, System.out, System.err));
    }

    /**
     * The listener, with its environment and streams given.
     *
     * @param args the command line
     * @param env the environment the pool's variables are read from
     * @param in the events, when no {@code --events} file is given
     * @param out one result line per event
     * @param err the summary and errors
     * @return the exit status
     */
    public static int run(String[] args, Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!List.of("--project", "--events", "--claude").contains(args[i]) || i + 1 >= args.length) {
                err.println("usage: EventListener --project DIR [--events FILE] [--claude PROGRAM]");
                return 2;
            }
            options.put(args[i], args[i + 1]);
        }
        if (!options.containsKey("--project")) {
            err.println("usage: EventListener --project DIR [--events FILE] [--claude PROGRAM]");
            return 2;
        }
        Path project = Path.of(options.get("--project"));
        String claude = options.getOrDefault("--claude", "claude");
        // @start region="handlers"
        HandlerPool.Builder builder = HandlerPool.fromEnvironment(project, env)  // HANDLER_* and the CLI's variables
                .command(claude);                                                // the claude program, and options of yours
        if (env.containsKey("HOME")) {
            builder.environment("HOME", env.get("HOME"));   // where the CLI keeps its settings
        }
        try (HandlerPool pool = builder.build().start();
             BufferedReader events = open(options.get("--events"), in)) {
            // reads the event lines, runs each through pool.execute(handler, event) as it is read,
            // prints one result line per event as it ends, then the summary
            return EventLines.serve(pool, events, out, err).exitStatus();
        } catch (IOException e) {
            err.println("EventListener: cannot read the events: " + e.getMessage());
            return 1;
        }
        // @end
    }

    private static BufferedReader open(String file, InputStream in) throws IOException {
        return file == null ? new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))
                : Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8);
    }
}
