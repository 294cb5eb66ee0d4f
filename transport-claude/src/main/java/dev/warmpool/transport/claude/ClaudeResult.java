package dev.warmpool.transport.claude;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of one Claude Code turn, taken from the CLI's {@code result} message. A call returns
 * it when its result type is {@code ClaudeResult}; with {@code Object} or {@code Map} it returns
 * {@link #toMap(List)} instead, and with {@code String} just {@link #output()}.
 *
 * <p>Only successful turns are returned: a turn that ends with {@code is_error} or an error subtype
 * fails the call with a {@link dev.warmpool.api.WorkerErrorException} whose data is the same map.
 *
 * @param success whether the turn succeeded ({@code subtype} is {@code success} and {@code is_error} is false)
 * @param output the turn's final text (the CLI's {@code result}); empty if it sent none
 * @param isError the CLI's {@code is_error}
 * @param subtype the CLI's {@code subtype}: {@code success}, {@code error_max_turns}, {@code error_during_execution}, …
 * @param durationMs how long the turn took inside the CLI, in milliseconds ({@code duration_ms})
 * @param totalCostUsd what this turn cost in US dollars — the same figure a cold {@code claude -p}
 *     reports for one event. (The CLI itself reports a running total for the whole process; the
 *     worker subtracts the previous total.)
 * @param sessionId the CLI's session id for the turn; it changes at every {@code /clear}
 */
public record ClaudeResult(boolean success, String output, boolean isError, String subtype, long durationMs,
                           double totalCostUsd, String sessionId) {
    /** Checks the components. */
    public ClaudeResult {
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(subtype, "subtype");
        Objects.requireNonNull(sessionId, "sessionId");
    }

    /**
     * The map the original event listener expected from running {@code claude -p} per event.
     *
     * @param stderr the worker's stderr lines, joined with {@code "\n"} under {@code stderr}
     * @return a mutable map with the keys {@code success}, {@code output}, {@code stderr},
     *     {@code is_error}, {@code duration_ms}, {@code total_cost_usd}, {@code session_id}, in that order
     */
    public Map<String, Object> toMap(List<String> stderr) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("success", success);
        m.put("output", output);
        m.put("stderr", String.join("\n", stderr));
        m.put("is_error", isError);
        m.put("duration_ms", durationMs);
        m.put("total_cost_usd", totalCostUsd);
        m.put("session_id", sessionId);
        return m;
    }
}
