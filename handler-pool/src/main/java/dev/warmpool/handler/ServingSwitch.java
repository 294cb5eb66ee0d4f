package dev.warmpool.handler;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How new events are served, warm or cold, and the {@code auto} mode's switches between the two,
 * each logged once (to cold as a warning, back to warm as info) and counted. In {@code pool} and
 * {@code spawn} mode it stays where it started. Thread-safe.
 */
final class ServingSwitch {
    private static final Logger LOG = LoggerFactory.getLogger(ServingSwitch.class);

    private final HandlerMode mode;
    private final Clock clock;
    private final AtomicLong toCold = new AtomicLong();
    private final AtomicLong toWarm = new AtomicLong();
    private Serving serving;
    private String reason = "";
    private Instant since;

    ServingSwitch(HandlerMode mode, Clock clock) {
        this.mode = mode;
        this.clock = clock;
        this.serving = mode == HandlerMode.SPAWN ? Serving.COLD : Serving.WARM;
        this.since = clock.instant();
    }

    synchronized Serving serving() {
        return serving;
    }

    /**
     * In {@code auto} mode, serves new events cold from now on.
     *
     * @param why what the warm pool cannot do, for the log and {@link HandlerPool#healthCheck()}
     */
    void toCold(String why) {
        synchronized (this) {
            if (mode != HandlerMode.AUTO || serving == Serving.COLD) {
                return;
            }
            serving = Serving.COLD;
            reason = why;
            since = clock.instant();
            toCold.incrementAndGet();
        }
        LOG.warn("{}=auto: serving events cold (one claude -p per event) until warm workers start again: {}",
                HandlerMode.ENV, why);
    }

    /**
     * In {@code auto} mode, serves new events warm again.
     *
     * @param why what changed, for the log
     */
    void toWarm(String why) {
        Instant coldSince;
        synchronized (this) {
            if (mode != HandlerMode.AUTO || serving == Serving.WARM) {
                return;
            }
            serving = Serving.WARM;
            coldSince = since;
            reason = "";
            since = clock.instant();
            toWarm.incrementAndGet();
        }
        LOG.info("{}=auto: serving events warm again ({}); they were served cold since {}", HandlerMode.ENV, why, coldSince);
    }

    /** @return since when and why {@code auto} serves events cold; empty while it serves them warm */
    synchronized String coldReason() {
        return serving == Serving.COLD && mode == HandlerMode.AUTO
                ? "serving events cold since " + since + ": " + reason : "";
    }

    long switchesToCold() {
        return toCold.get();
    }

    long switchesToWarm() {
        return toWarm.get();
    }
}
