package dev.warmpool.api;

import java.util.List;

/**
 * The result of {@link WorkerPool#healthCheck()}: one entry per worker, and whether the pool as a
 * whole takes requests.
 *
 * @param poolHealthy {@code false} while workers keep failing to start
 * @param workers one entry per worker that existed when the check ran
 */
public record HealthReport(boolean poolHealthy, List<WorkerHealth> workers) {
    /** Copies the list. */
    public HealthReport {
        workers = List.copyOf(workers);
    }

    /**
     * The health of one worker.
     *
     * @param workerId the worker
     * @param pid its process id, or -1
     * @param state {@code "idle"}, {@code "busy"} or {@code "starting"}
     * @param healthy whether it answered (busy and starting workers are reported healthy without a ping)
     * @param detail why it is unhealthy, or the empty string
     */
    public record WorkerHealth(String workerId, long pid, String state, boolean healthy, String detail) {
    }

    /** @return whether the pool takes requests and every checked worker answered */
    public boolean healthy() {
        return poolHealthy && workers.stream().allMatch(WorkerHealth::healthy);
    }
}
