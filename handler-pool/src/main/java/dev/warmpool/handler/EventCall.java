package dev.warmpool.handler;

import dev.warmpool.api.spi.Worker;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The params of one warm event as they travel through the pool: the event, and the stderr its turn
 * wrote. The pool hands the params to the worker unchanged, so the {@link EventTurnWorker} that runs
 * the turn finds this object, snapshots the worker's stderr tail before the turn and after it, and
 * {@link HandlerPool} reads the difference when the result comes. Thread-safe.
 */
final class EventCall {
    private final HandlerEvent event;
    private volatile @Nullable Worker worker;
    private volatile List<String> before = List.of();
    private volatile @Nullable List<String> stderr;

    EventCall(HandlerEvent event) {
        this.event = event;
    }

    HandlerEvent event() {
        return event;
    }

    /** The turn is about to be written to {@code w}: remembers where its stderr stood. */
    void begin(Worker w) {
        before = w.stderrTail();
        worker = w;
    }

    /** The turn ended (with a result or a failure): fixes what it wrote. */
    void end() {
        Worker w = worker;
        if (w != null) {
            stderr = StderrDelta.since(before, w.stderrTail());
        }
    }

    /**
     * @return the lines the turn wrote to stderr: fixed when the turn ended, or so far if it has not
     *     (the pool completes a timed-out event before its turn ends); empty if no worker took it
     */
    List<String> stderr() {
        List<String> fixed = stderr;
        if (fixed != null) {
            return fixed;
        }
        Worker w = worker;
        return w == null ? List.of() : StderrDelta.since(before, w.stderrTail());
    }

    @Override
    public String toString() {
        return "EventCall[" + event.prompt() + "]";
    }
}
