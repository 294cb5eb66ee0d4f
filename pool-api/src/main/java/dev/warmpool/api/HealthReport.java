package dev.warmpool.api;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The result of {@link WorkerPool#healthCheck()}: one entry per worker, and whether the pool as a
 * whole takes requests. Immutable.
 *
 * @param poolHealthy {@code false} while workers keep failing to start (new requests are then
 *     rejected as {@link PoolRejectedException.Reason#UNHEALTHY} whenever no worker is up)
 * @param workers one entry per worker that existed when the check ran
 */
public record HealthReport(boolean poolHealthy, List<WorkerHealth> workers) {
    /** Copies the list. */
    public HealthReport {
        workers = List.copyOf(workers);
    }

    /** Where a worker stands. */
    public enum State {
        /** Being started; not ready yet. */
        STARTING,
        /** Ready and waiting: it answered this check's ping (or is being pinged by the pool's periodic check). */
        IDLE,
        /** Running a request (not pinged: the request in flight shows it is alive). */
        BUSY,
        /** Leaving the pool (recycled, scaled down, killed); it takes no more requests. */
        RETIRING,
        /** It did not answer the health check's ping, or answered it with a failure; it is being replaced. */
        FAILED
    }

    /**
     * A request a busy worker is running.
     *
     * @param method the request's method
     * @param age how long the worker has been running it
     * @param timeout its run deadline, counted from when the worker took it; an age beyond it
     *     means the worker is being asked to cancel, and is killed once the cancel grace passes too
     */
    public record RunningRequest(String method, Duration age, Duration timeout) {
        /** Checks the components. */
        public RunningRequest {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(age, "age");
            Objects.requireNonNull(timeout, "timeout");
        }

        /** {@return the time left before the run deadline; zero once it has passed} */
        public Duration remaining() {
            Duration left = timeout.minus(age);
            return left.isNegative() ? Duration.ZERO : left;
        }
    }

    /**
     * The health of one worker.
     *
     * @param workerId the worker, e.g. {@code "w-3"}
     * @param host where it runs ({@link dev.warmpool.api.spi.Worker#host()}: {@code "local"} for this
     *     machine, {@code "ssh://deploy@10.0.0.2"} ...), once it has started; empty while it is
     *     {@link State#STARTING}, since a transport that places workers decides while it starts them
     * @param pid its process id, once it has one
     * @param state where it stands
     * @param problem why it is {@link State#FAILED}; empty otherwise
     * @param request the request it runs while {@link State#BUSY}; empty otherwise
     */
    public record WorkerHealth(String workerId, Optional<String> host, OptionalLong pid, State state,
                               Optional<String> problem, Optional<RunningRequest> request) {
        /** Checks the components. */
        public WorkerHealth {
            Objects.requireNonNull(workerId, "workerId");
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(pid, "pid");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(problem, "problem");
            Objects.requireNonNull(request, "request");
        }

        /** {@return whether the worker is not {@link State#FAILED}} */
        public boolean healthy() {
            return state != State.FAILED;
        }
    }

    /** {@return whether the pool takes requests and every checked worker answered} */
    public boolean healthy() {
        return poolHealthy && workers.stream().allMatch(WorkerHealth::healthy);
    }
}
