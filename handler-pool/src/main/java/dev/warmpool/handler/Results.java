package dev.warmpool.handler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warmpool.api.PoolRejectedException;
import dev.warmpool.api.RequestTimeoutException;
import dev.warmpool.api.WorkerErrorException;
import dev.warmpool.handler.HandlerResult.Failure;
import dev.warmpool.transport.claude.ClaudeResult;
import dev.warmpool.transport.claude.ClaudeTransport;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * Reads every way an event can end — a warm turn's result or failure, a cold run — as one
 * {@link HandlerResult}, so a caller sees the same contract whichever way the event was served.
 */
final class Results {
    /** What the CLI answers, as a successful turn of no API call, to a slash command it does not know. */
    private static final String UNKNOWN_COMMAND = "Unknown command: ";

    private Results() {
    }

    static HandlerResult warm(ClaudeResult r, List<String> stderr, long startNanos) {
        return new HandlerResult(true, r.output(), join(stderr), r.totalCostUsd(), since(startNanos),
                Duration.ofMillis(r.durationMs()), Serving.WARM, Failure.NONE, "");
    }

    static HandlerResult warmFailure(Throwable thrown, List<String> stderr, long startNanos) {
        Throwable t = unwrap(thrown);
        Failure failure;
        String output = "";
        double cost = 0;
        long turnMillis = 0;
        if (t instanceof WorkerErrorException e) {
            failure = switch (e.code()) {
                case ClaudeTransport.METHOD_NOT_FOUND -> Failure.UNKNOWN_HANDLER;
                case ClaudeTransport.INVALID_PARAMS -> Failure.REJECTED;
                default -> Failure.HANDLER_ERROR;
            };
            if (e.data().orElse(null) instanceof Map<?, ?> data) {
                output = data.get("output") instanceof String s ? s : "";
                cost = data.get("total_cost_usd") instanceof Number n ? n.doubleValue() : 0;
                turnMillis = data.get("duration_ms") instanceof Number n ? n.longValue() : 0;
            }
        } else if (t instanceof RequestTimeoutException) {
            failure = Failure.TIMEOUT;
        } else if (t instanceof PoolRejectedException) {
            failure = Failure.REJECTED;
        } else {
            // WorkerCrashedException, ProtocolException (the worker is replaced either way), or a
            // failure of the pool's own
            failure = Failure.CRASHED;
        }
        return new HandlerResult(false, output, join(stderr), cost, since(startNanos), Duration.ofMillis(turnMillis),
                Serving.WARM, failure, String.valueOf(t.getMessage()));
    }

    /**
     * @param run how the cold run went
     * @param fallback whether {@code auto} ran it cold because the warm pool could not: a run that
     *     produced no result is then {@link Failure#FALLBACK_FAILED}, not {@link Failure#CRASHED}
     * @param startNanos when the event was given to the pool
     */
    static HandlerResult cold(ColdRun run, boolean fallback, long startNanos) {
        Failure broken = fallback ? Failure.FALLBACK_FAILED : Failure.CRASHED;
        String prefix = fallback ? "served cold because the warm pool could not, and " : "";
        return switch (run.end()) {
            case EXITED -> parsed(run, startNanos, broken, prefix);
            case NOT_STARTED -> failed(run, startNanos, broken, prefix + run.detail());
            case NO_SLOT, TIMED_OUT -> failed(run, startNanos, Failure.TIMEOUT, run.detail());
            case SHUT_DOWN -> failed(run, startNanos, Failure.REJECTED, run.detail());
        };
    }

    private static HandlerResult parsed(ColdRun run, long startNanos, Failure broken, String prefix) {
        JsonNode m = json(run.stdout());
        if (m == null) {
            return failed(run, startNanos, broken, prefix + "the cold claude -p " + exit(run.exitCode())
                    + " without a JSON result on stdout" + lastLine(run.stderr()));
        }
        String subtype = m.path("subtype").asText("");
        boolean failed = m.path("is_error").asBoolean(false) || !subtype.equals("success");
        JsonNode r = m.path("result");
        String output = r.isMissingNode() || r.isNull() ? "" : r.isTextual() ? r.asText() : r.toString();
        double cost = m.path("total_cost_usd").asDouble(0);
        Duration turn = Duration.ofMillis(m.path("duration_ms").asLong(0));
        Duration took = since(startNanos);
        String stderr = join(run.stderr());
        if (failed) {
            String why = output.isBlank() ? "the turn ended with subtype " + subtype : output;
            return new HandlerResult(false, output, stderr, cost, took, turn, Serving.COLD, Failure.HANDLER_ERROR,
                    "the cold claude -p " + exit(run.exitCode()) + ": " + why);
        }
        if (m.path("num_turns").asInt(0) == 0 && output.startsWith(UNKNOWN_COMMAND)) {
            return new HandlerResult(false, output, stderr, cost, took, turn, Serving.COLD, Failure.UNKNOWN_HANDLER,
                    output + " (the CLI found no such command in .claude/commands of the project or of its HOME)");
        }
        return new HandlerResult(true, output, stderr, cost, took, turn, Serving.COLD, Failure.NONE, "");
    }

    private static HandlerResult failed(ColdRun run, long startNanos, Failure failure, String error) {
        return new HandlerResult(false, "", join(run.stderr()), 0, since(startNanos), Duration.ZERO, Serving.COLD,
                failure, error);
    }

    /** @return the result of an event whose caller cancelled it, for the metrics */
    static HandlerResult cancelled(Serving servedBy, long startNanos) {
        return new HandlerResult(false, "", "", 0, since(startNanos), Duration.ZERO, servedBy, Failure.CANCELLED,
                "the event was cancelled by its caller");
    }

    /** An event turned away before any worker or process saw it. */
    static HandlerResult rejected(String why, Serving serving, long startNanos) {
        return new HandlerResult(false, "", "", 0, since(startNanos), Duration.ZERO, serving, Failure.REJECTED, why);
    }

    /** @return the first JSON object of type {@code result} in {@code stdout}, or {@code null} */
    private static @Nullable JsonNode json(String stdout) {
        String s = stdout.strip();
        if (!s.startsWith("{")) {
            return null;
        }
        try {
            JsonNode m = HandlerEvent.JSON.readTree(s);
            return m != null && m.isObject() && m.path("type").asText("").equals("result") ? m : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String exit(int code) {
        if (code > 128 && code < 128 + 65) {
            return "was killed by signal " + (code - 128);
        }
        return "exited with status " + code;
    }

    private static String lastLine(List<String> stderr) {
        return stderr.isEmpty() ? "; its stderr was empty" : "; its last stderr line: " + stderr.get(stderr.size() - 1);
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static String join(List<String> lines) {
        return String.join("\n", lines);
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
