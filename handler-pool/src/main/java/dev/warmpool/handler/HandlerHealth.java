package dev.warmpool.handler;

import dev.warmpool.api.HealthReport;
import dev.warmpool.api.HealthReport.WorkerHealth;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of {@link HandlerPool#healthCheck()}. Immutable.
 *
 * @param mode the configured mode
 * @param serving how new events are served now
 * @param healthy whether events are served the way the mode intends: in {@code pool} mode and in
 *     {@code auto} mode, warm with every worker answering its ping; in {@code spawn} mode, always
 *     ({@code auto} serving cold is working but not healthy)
 * @param workers the warm workers at the time of the check (idle ones pinged, busy and starting ones
 *     reported without a ping, a worker that failed its ping replaced); empty without a warm pool
 * @param detail why it is not healthy, or since when events are served cold and why; empty when healthy
 */
public record HandlerHealth(HandlerMode mode, Serving serving, boolean healthy, List<WorkerHealth> workers,
                            String detail) {
    /** Copies the list and checks the components. */
    public HandlerHealth {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(serving, "serving");
        workers = List.copyOf(workers);
        Objects.requireNonNull(detail, "detail");
    }

    /**
     * @param mode the configured mode
     * @param serving how events are served, and why cold
     * @param notRunning why the handler pool does not take events, or empty
     * @param pool the warm pool's report, if a warm pool runs
     */
    static HandlerHealth of(HandlerMode mode, ServingSwitch serving, String notRunning, Optional<HealthReport> pool) {
        List<String> problems = new ArrayList<>();
        if (!notRunning.isEmpty()) {
            problems.add(notRunning);
        }
        if (!serving.coldReason().isEmpty()) {
            problems.add(serving.coldReason());
        }
        List<WorkerHealth> workers = pool.map(HealthReport::workers).orElse(List.of());
        if (mode != HandlerMode.SPAWN) {
            if (pool.isEmpty()) {
                problems.add("no warm pool is running");
            } else if (!pool.get().poolHealthy()) {
                problems.add("the warm pool is unhealthy: its worker starts keep failing");
            }
            workers.stream().filter(w -> !w.healthy())
                    .forEach(w -> problems.add("worker " + w.workerId()
                            + (w.pid().isPresent() ? " (pid " + w.pid().getAsLong() + ")" : "") + " "
                            + w.problem().orElse(w.state().toString())));
        }
        return new HandlerHealth(mode, serving.serving(), problems.isEmpty(), workers, String.join("; ", problems));
    }
}
