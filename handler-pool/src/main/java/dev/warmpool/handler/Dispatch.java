package dev.warmpool.handler;

import dev.warmpool.api.PoolRejectedException;
import dev.warmpool.api.Request;
import dev.warmpool.core.WarmPool;
import dev.warmpool.handler.HandlerResult.Failure;
import dev.warmpool.transport.claude.ClaudeResult;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each event warm or cold and turns whatever happens into its one {@link HandlerResult}.
 *
 * <p>In {@code auto} mode an event the warm pool turns away as unhealthy (it never reached a
 * worker) is run cold instead. An event that reached a worker is never run a second time, whatever
 * happened to it: its handler may have done part of its work. Cancelling a future this class
 * returned stops the event: the pool request is cancelled, or the cold run's CLI killed. Thread-safe;
 * never blocks.
 */
final class Dispatch {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatch.class);

    private final HandlerMode mode;
    private final ServingSwitch serving;
    private final Optional<WarmSide> warm;
    private final Optional<ColdRunner> cold;
    private final Tally tally;

    Dispatch(HandlerMode mode, ServingSwitch serving, Optional<WarmSide> warm, Optional<ColdRunner> cold, Tally tally) {
        this.mode = mode;
        this.serving = serving;
        this.warm = warm;
        this.cold = cold;
        this.tally = tally;
    }

    CompletableFuture<HandlerResult> route(HandlerEvent event, long startNanos) {
        if (warm.isPresent()) {
            WarmSide w = warm.get();
            if (mode == HandlerMode.AUTO) {
                w.checkWorkersUp();
            }
            Optional<WarmPool> pool = w.pool();
            if (serving.serving() == Serving.WARM && pool.isPresent()) {
                return warm(pool.get(), event, startNanos);
            }
        }
        if (cold.isPresent()) {
            return cold(cold.get(), event, startNanos, mode == HandlerMode.AUTO);
        }
        return CompletableFuture.completedFuture(rejected("no warm pool is running", Serving.WARM, startNanos));
    }

    private CompletableFuture<HandlerResult> warm(WarmPool pool, HandlerEvent event, long startNanos) {
        EventCall call = new EventCall(event);
        CompletableFuture<HandlerResult> out = new CompletableFuture<>();
        CompletableFuture<@Nullable ClaudeResult> submitted = pool.submit(Request.of(HandlerEvent.METHOD, call)
                .returning(ClaudeResult.class));
        submitted.whenComplete((result, thrown) -> {
            if (thrown != null && cold.isPresent() && mode == HandlerMode.AUTO && !out.isCancelled()
                    && Results.unwrap(thrown) instanceof PoolRejectedException r
                    && r.reason() == PoolRejectedException.Reason.UNHEALTHY) {
                serving.toCold("the warm pool turned an event away: " + WarmSide.summary(r));
                CompletableFuture<HandlerResult> fallback = cold(cold.get(), event, startNanos, true);
                cancelWith(out, fallback);
                fallback.thenAccept(out::complete);
                return;
            }
            boolean cancelled = out.isCancelled() || Results.unwrap(thrown) instanceof CancellationException;
            out.complete(counted(() -> cancelled ? Results.cancelled(Serving.WARM, startNanos)
                    // the claude transport completes a turn with its ClaudeResult, never with null
                    : thrown == null ? Results.warm(Objects.requireNonNull(result, "a warm turn's result"), call.stderr(),
                            startNanos)
                    : Results.warmFailure(thrown, call.stderr(), startNanos), false, Serving.WARM, startNanos));
        });
        // the pool ends a cancelled request, asks its worker to interrupt the turn, and replaces a
        // worker that does not within the cancel grace
        cancelWith(out, submitted);
        return out;
    }

    private CompletableFuture<HandlerResult> cold(ColdRunner runner, HandlerEvent event, long startNanos, boolean fallback) {
        CompletableFuture<ColdRun> run = runner.run(event);
        // not a stage of run: a stage already cancelled by the caller would not run, and nothing be counted
        CompletableFuture<HandlerResult> out = new CompletableFuture<>();
        run.whenComplete((r, thrown) -> out.complete(counted(() -> r == null ? Results.cancelled(Serving.COLD, startNanos)
                : Results.cold(r, fallback, startNanos), fallback, Serving.COLD, startNanos)));
        cancelWith(out, run); // the runner kills the CLI of a cancelled run
        return out;
    }

    /** Cancels {@code inner} when {@code outer} is cancelled, so a caller's cancel reaches the work. */
    private static void cancelWith(CompletableFuture<?> outer, CompletableFuture<?> inner) {
        outer.whenComplete((r, thrown) -> {
            if (outer.isCancelled()) {
                inner.cancel(true);
            }
        });
    }

    /** An event turned away before it was sent warm or cold, counted as such. */
    HandlerResult rejected(String why, Serving servedBy, long startNanos) {
        return tally.countUnserved(Results.rejected(why, servedBy, startNanos));
    }

    /** Builds and counts a result; a bug in building it still ends the event, with a result that says so. */
    private HandlerResult counted(Supplier<HandlerResult> result, boolean fallback, Serving servedBy, long startNanos) {
        HandlerResult r;
        try {
            r = result.get();
        } catch (RuntimeException e) {
            LOG.error("reading an event's outcome failed", e);
            r = new HandlerResult(false, "", "", 0, Duration.ofNanos(System.nanoTime() - startNanos), Duration.ZERO,
                    servedBy, fallback ? Failure.FALLBACK_FAILED : Failure.CRASHED, "reading the outcome failed: " + e);
        }
        return tally.count(r, fallback);
    }
}
