package dev.warmpool.handler;

import dev.warmpool.api.PoolRejectedException;
import dev.warmpool.api.Request;
import dev.warmpool.core.WarmPool;
import dev.warmpool.handler.HandlerResult.Failure;
import dev.warmpool.transport.claude.ClaudeResult;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each event warm or cold and turns whatever happens into its one {@link HandlerResult}.
 *
 * <p>In {@code auto} mode an event the warm pool turns away as unhealthy (it never reached a
 * worker) is run cold instead. An event that reached a worker is never run a second time, whatever
 * happened to it: its handler may have done part of its work. Thread-safe; never blocks.
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
        pool.submit(Request.of(HandlerEvent.METHOD, call).returning(ClaudeResult.class)).whenComplete((result, thrown) -> {
            if (thrown != null && cold.isPresent() && mode == HandlerMode.AUTO
                    && Results.unwrap(thrown) instanceof PoolRejectedException r
                    && r.reason() == PoolRejectedException.Reason.UNHEALTHY) {
                serving.toCold("the warm pool turned an event away: " + WarmSide.summary(r));
                cold(cold.get(), event, startNanos, true).thenAccept(out::complete);
                return;
            }
            out.complete(counted(() -> thrown == null ? Results.warm(result, call.stderr(), startNanos)
                    : Results.warmFailure(thrown, call.stderr(), startNanos), false, Serving.WARM, startNanos));
        });
        return out;
    }

    private CompletableFuture<HandlerResult> cold(ColdRunner runner, HandlerEvent event, long startNanos, boolean fallback) {
        return runner.run(event).thenApply(run ->
                counted(() -> Results.cold(run, fallback, startNanos), fallback, Serving.COLD, startNanos));
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
