package dev.warmpool.examples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warmpool.handler.HandlerMetrics;
import dev.warmpool.handler.HandlerPool;
import dev.warmpool.handler.HandlerResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The original event listener, on warmpool: reads events as JSON lines, one
 * {@code {"handler": "triage", "event": {…}}} per line (from a file, or stdin), runs each through its
 * handler — the project's {@code .claude/commands/<handler>.md} — with a {@link HandlerPool}, and
 * prints one result line per event to stdout as it ends: {@code line}, {@code handler}, then the
 * plan's {@code success}, {@code output}, {@code stderr} and the rest of {@link HandlerResult#toMap()}.
 * A summary goes to stderr at the end.
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
    private static final ObjectMapper JSON = new ObjectMapper();

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
        List<CompletableFuture<HandlerResult>> results = new ArrayList<>();
        int badLines = 0;
        // @start region="handlers"
        HandlerPool.Builder builder = HandlerPool.fromEnvironment(project, env)  // HANDLER_* and the CLI's variables
                .command(claude);                                                // the claude program, and options of yours
        if (env.containsKey("HOME")) {
            builder.environment("HOME", env.get("HOME"));   // where the CLI keeps its settings
        }
        try (HandlerPool pool = builder.build().start();
             BufferedReader events = open(options.get("--events"), in)) {
            String line;
            for (int n = 1; (line = events.readLine()) != null; n++) {
                if (line.isBlank()) {
                    continue;
                }
                int lineNumber = n;
                JsonNode e = event(line);
                if (e == null) {
                    badLines++;
                    print(out, lineNumber, null, notAnEvent(line));
                    continue;
                }
                String handler = e.path("handler").asText();
                CompletableFuture<HandlerResult> result = pool.execute(handler, e.get("event"));
                results.add(result.whenComplete((r, t) -> print(out, lineNumber, handler, r.toMap())));
            }
            CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).join();
            summary(err, results.stream().map(CompletableFuture::join).toList(), badLines, pool);
        } catch (IOException e) {
            err.println("EventListener: cannot read the events: " + e.getMessage());
            return 1;
        }
        // @end
        return badLines == 0 && results.stream().allMatch(f -> f.join().success()) ? 0 : 1;
    }

    /** @return the line as a JSON object with a {@code handler} text, or {@code null} if it is not one */
    private static JsonNode event(String line) {
        try {
            JsonNode n = JSON.readTree(line);
            return n != null && n.isObject() && n.path("handler").isTextual() ? n : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** The result line of an input line that is not an event: the plan's keys, and why. */
    private static Map<String, Object> notAnEvent(String line) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("success", false);
        m.put("output", "");
        m.put("stderr", "");
        m.put("failure", "rejected");
        m.put("error", "the line is not a JSON object with a \"handler\" text: " + shorten(line));
        return m;
    }

    private static String shorten(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }

    private static BufferedReader open(String file, InputStream in) throws IOException {
        return file == null ? new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))
                : Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8);
    }

    private static void print(PrintStream out, int line, String handler, Map<String, Object> result) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("line", line);
        m.put("handler", handler);
        m.putAll(result);
        try {
            String text = JSON.writeValueAsString(m);
            synchronized (out) {
                out.println(text);
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a result map of strings and numbers is always JSON", e);
        }
    }

    private static void summary(PrintStream err, List<HandlerResult> results, int badLines, HandlerPool pool) {
        HandlerMetrics m = pool.metrics();
        long ok = results.stream().filter(HandlerResult::success).count();
        Map<String, Long> failures = new LinkedHashMap<>();
        m.failed().forEach((f, n) -> {
            if (n > 0) {
                failures.put(f.name().toLowerCase(Locale.ROOT), n);
            }
        });
        if (badLines > 0) {
            failures.merge("rejected", (long) badLines, Long::sum);
        }
        long events = (long) results.size() + badLines;
        err.printf(Locale.ROOT, "warmpool listen: %d events, %d ok, %d failed%s%n", events, ok, events - ok,
                failures.isEmpty() ? "" : " " + failures);
        err.printf(Locale.ROOT, "  served: %d warm, %d cold (%d as auto's fallback); mode %s, serving %s now "
                        + "(%d switches to cold, %d back to warm)%n", m.warm(), m.cold(), m.fallback(),
                pool.mode().settingValue(), m.serving().name().toLowerCase(Locale.ROOT), m.switchesToCold(), m.switchesToWarm());
        pool.poolMetrics().ifPresent(p -> err.printf(Locale.ROOT,
                "  warm processes started: %d (pool size %d, min %d, max %d)%n", p.totalSpawns(),
                pool.poolConfig().size(), pool.poolConfig().minSize(), pool.poolConfig().maxSize()));
        List<Duration> took = results.stream().map(HandlerResult::duration).sorted().toList();
        if (!took.isEmpty()) {
            err.printf(Locale.ROOT, "  latency: p50 %s, p90 %s, max %s (event to result)%n", ms(percentile(took, 50)),
                    ms(percentile(took, 90)), ms(took.get(took.size() - 1)));
        }
    }

    private static Duration percentile(List<Duration> sorted, int p) {
        return sorted.get(Math.max(0, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static String ms(Duration d) {
        return String.format(Locale.ROOT, "%.1f ms", d.toNanos() / 1e6);
    }
}
