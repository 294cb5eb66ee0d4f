package dev.warmpool.core;

import dev.warmpool.api.PoolMetrics.Failure;
import dev.warmpool.api.RequestObserver;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pool's {@link RequestObserver}s, told of each request's end by whoever ends it
 * ({@link Outcomes}, or {@link Dispatcher} for a caller's cancel), after it is counted and before
 * its future completes, never under the pool's lock.
 *
 * <p>The observers are an array replaced on each change, so that a request ending with none
 * added costs one volatile read and nothing else: no clock read, no iterator. Thread-safe.
 */
final class RequestObservers {
    private static final Logger LOG = LoggerFactory.getLogger(WarmPool.class);
    private static final RequestObserver[] NONE = {};

    private final LongSupplier ticker;
    private volatile RequestObserver[] observers = NONE;

    /** @param ticker the pool's clock for durations ({@link System#nanoTime()} outside tests) */
    RequestObservers(LongSupplier ticker) {
        this.ticker = ticker;
    }

    synchronized void add(RequestObserver o) {
        Objects.requireNonNull(o, "observer");
        RequestObserver[] now = Arrays.copyOf(observers, observers.length + 1);
        now[now.length - 1] = o;
        observers = now;
    }

    synchronized boolean remove(RequestObserver o) {
        Objects.requireNonNull(o, "observer");
        RequestObserver[] was = observers;
        for (int i = 0; i < was.length; i++) {
            if (was[i].equals(o)) {
                RequestObserver[] now = new RequestObserver[was.length - 1];
                System.arraycopy(was, 0, now, 0, i);
                System.arraycopy(was, i + 1, now, i, was.length - i - 1);
                observers = now;
                return true;
            }
        }
        return false;
    }

    /**
     * Reports a request that has just ended. Its times are read without the pool's lock, as
     * {@link JfrEvents#request} reads them: the thread that ends a request took part in handing it
     * to its worker (or found it queued), so it sees them.
     *
     * @param p the request, just ended and counted
     * @param failure the bucket it failed in, or null if it succeeded
     */
    void ended(Pending<?> p, @Nullable Failure failure) {
        RequestObserver[] all = observers;
        if (all.length == 0) {
            return;
        }
        long now = ticker.getAsLong();
        long wait;
        long run;
        if (p.slot == null) { // never reached a worker
            wait = now - p.submittedNanos;
            run = RequestObserver.NOT_RUN;
        } else {
            wait = p.startedNanos - p.submittedNanos;
            run = now - p.startedNanos;
        }
        String method = p.request.method();
        for (RequestObserver o : all) {
            try {
                if (failure == null) {
                    o.succeeded(method, wait, run);
                } else {
                    o.failed(method, wait, run, failure);
                }
            } catch (RuntimeException e) {
                LOG.warn("request observer {} failed; the request still ends", o, e);
            }
        }
    }
}
