package dev.warmpool.handler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warmpool.handler.HandlerResult.Failure;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * An event listener's loop over a {@link HandlerPool}: reads events as JSON lines,
 * {@code {"handler": "triage", "event": {…}}}, dispatches each as soon as it is read, prints one
 * result line per event as it ends, and a summary when every event has ended. The example
 * {@code EventListener} and the {@code warmpool listen} command are this loop with their own
 * argument handling.
 *
 * <p>A result line is a JSON object: {@code line} (the input line's number), {@code handler}, then
 * {@link HandlerResult#toMap()}. A non-blank line that is not a JSON object with a {@code handler}
 * text is answered at once with {@code "success": false, "failure": "rejected"} and
 * {@code handler} {@code null}; blank lines are skipped. Every other line is answered exactly once,
 * in completion order. If reading fails part-way, the events read so far still end and are
 * answered, and the summary says where reading stopped.
 *
 * <p>{@link #serve} blocks until every event read has ended, which {@link HandlerPool#execute}
 * bounds (twice {@code HANDLER_REQUEST_TIMEOUT}). Result lines are written from the pool's threads,
 * one {@code println} at a time under the output stream's lock, so a line is never interleaved with
 * another. Stateless and thread-safe.
 */
public final class EventLines {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SHOWN_CHARS = 80;

    private EventLines() {
    }

    /**
     * What one {@link #serve} did, as counted from its own results (not the pool's lifetime counters).
     *
     * @param events the events answered: every non-blank line read
     * @param succeeded those whose result was a success
     * @param failures the others by failure, lower case as in the result lines ({@code rejected},
     *     {@code timeout}, …), in {@link Failure}'s order; only those that occurred
     * @param warm events a warm worker served
     * @param cold events a cold {@code claude -p} served (bad lines are neither)
     * @param readError why reading the events stopped before their end; empty if it did not
     */
    public record Summary(long events, long succeeded, Map<String, Long> failures, long warm, long cold,
                          String readError) {
        /** Copies the map and checks the counts add up. */
        public Summary {
            failures = Collections.unmodifiableMap(new LinkedHashMap<>(failures));
            Objects.requireNonNull(readError, "readError");
            long failed = failures.values().stream().mapToLong(Long::longValue).sum();
            if (succeeded + failed != events) {
                throw new IllegalArgumentException("succeeded (" + succeeded + ") and failures " + failures
                        + " do not add up to the events (" + events + ")");
            }
        }

        /** {@return the events that did not succeed} */
        public long failed() {
            return events - succeeded;
        }

        /**
         * {@return the exit status for these events: 0 when every event succeeded and every line could be read,
         *     1 otherwise}
         */
        public int exitStatus() {
            return failed() == 0 && readError.isEmpty() ? 0 : 1;
        }
    }

    /**
     * Reads {@code events} to its end, runs every event through {@code pool}, writes one result line
     * per event to {@code out}, then the summary to {@code summary}. Does not close the reader or
     * the streams, and does not shut the pool down.
     *
     * @param pool a started pool (one whose start failed answers every event rejected, which is reported as such)
     * @param events the event lines
     * @param out receives one JSON result line per event
     * @param summary receives the summary, lines starting {@code warmpool listen:}
     * @return what happened; {@link Summary#exitStatus()} is the listener's exit status
     * @throws IllegalStateException if {@code pool} was never started
     */
    public static Summary serve(HandlerPool pool, BufferedReader events, PrintStream out, PrintStream summary) {
        Objects.requireNonNull(pool, "pool");
        List<CompletableFuture<HandlerResult>> results = new ArrayList<>();
        int badLines = 0;
        String readError = "";
        long firstRead = 0;
        int n = 0;
        try {
            String line;
            while ((line = events.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                if (firstRead == 0) {
                    firstRead = System.nanoTime();
                }
                int lineNumber = n;
                JsonNode e = event(line);
                if (e == null) {
                    badLines++;
                    print(out, lineNumber, null, notAnEvent(line));
                    continue;
                }
                String handler = e.path("handler").asText();
                results.add(pool.execute(handler, e.get("event"))
                        .whenComplete((r, t) -> print(out, lineNumber, handler, r.toMap())));
            }
        } catch (IOException | UncheckedIOException e) {
            readError = "reading the events failed after line " + n + ": " + e.getMessage();
        }
        CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).join();
        double seconds = firstRead == 0 ? 0 : (System.nanoTime() - firstRead) / 1e9;
        List<HandlerResult> ended = results.stream().map(CompletableFuture::join).toList();
        Summary s = summarize(ended, badLines, readError);
        print(summary, s, ended, pool, seconds);
        return s;
    }

    private static Summary summarize(List<HandlerResult> results, int badLines, String readError) {
        Map<Failure, Long> byFailure = new EnumMap<>(Failure.class);
        long ok = 0;
        long warm = 0;
        for (HandlerResult r : results) {
            if (r.success()) {
                ok++;
            } else {
                byFailure.merge(r.failure(), 1L, Long::sum);
            }
            if (r.servedBy() == Serving.WARM) {
                warm++;
            }
        }
        if (badLines > 0) {
            byFailure.merge(Failure.REJECTED, (long) badLines, Long::sum);
        }
        Map<String, Long> failures = new LinkedHashMap<>();
        byFailure.forEach((f, c) -> failures.put(f.name().toLowerCase(Locale.ROOT), c));
        return new Summary(results.size() + badLines, ok, failures, warm, results.size() - warm, readError);
    }

    /** The summary, in the manner of {@code warmpool run}'s: counts, how events were served, processes, latency, throughput. */
    private static void print(PrintStream err, Summary s, List<HandlerResult> results, HandlerPool pool, double seconds) {
        StringBuilder kinds = new StringBuilder();
        s.failures().forEach((f, c) -> kinds.append(kinds.isEmpty() ? " (" : ", ").append(f).append(' ').append(c));
        if (!kinds.isEmpty()) {
            kinds.append(')');
        }
        HandlerMetrics m = pool.metrics();
        err.printf(Locale.ROOT, "warmpool listen: %d events, %d ok, %d failed%s%n", s.events(), s.succeeded(),
                s.failed(), kinds);
        err.printf(Locale.ROOT, "  served: %d warm, %d cold (%d as auto's fallback); mode %s, serving %s now "
                        + "(%d switches to cold, %d back to warm)%n", s.warm(), s.cold(), m.fallback(),
                pool.mode().settingValue(), m.serving().name().toLowerCase(Locale.ROOT), m.switchesToCold(),
                m.switchesToWarm());
        pool.poolMetrics().ifPresent(p -> err.printf(Locale.ROOT,
                "  warm processes started: %d (pool size %d, min %d, max %d)%n", p.totalSpawns(),
                pool.poolConfig().size(), pool.poolConfig().minSize(), pool.poolConfig().maxSize()));
        List<Duration> took = results.stream().map(HandlerResult::duration).sorted().toList();
        if (!took.isEmpty()) {
            err.printf(Locale.ROOT, "  latency: p50 %s, p90 %s, max %s (event to result)%n", ms(percentile(took, 50)),
                    ms(percentile(took, 90)), ms(took.get(took.size() - 1)));
            err.printf(Locale.ROOT, "  throughput: %s events/s (%d in %.2f s)%n",
                    seconds > 0 ? String.format(Locale.ROOT, "%.2f", took.size() / seconds) : "-", took.size(), seconds);
        }
        if (!s.readError().isEmpty()) {
            err.println("  " + s.readError() + "; the events after it were not read");
        }
    }

    /** @return the line as a JSON object with a {@code handler} text, or {@code null} if it is not one */
    private static @Nullable JsonNode event(String line) {
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
        m.put("error", "the line is not a JSON object with a \"handler\" text: "
                + (line.length() > SHOWN_CHARS ? line.substring(0, SHOWN_CHARS) + "…" : line));
        return m;
    }

    private static void print(PrintStream out, int line, @Nullable String handler, Map<String, Object> result) {
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

    private static Duration percentile(List<Duration> sorted, int p) {
        return sorted.get(Math.max(0, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static String ms(Duration d) {
        return String.format(Locale.ROOT, "%.1f ms", d.toNanos() / 1e6);
    }
}
