package dev.warmpool.worker;

import static java.lang.System.Logger.Level.WARNING;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * Who reads the worker's stdin when handlers run inline, and the relay that keeps it read while a
 * handler runs long.
 *
 * <p>One thread at a time holds the role and reads. When it reads a request for a handler it lets
 * go of the role — without waking anybody — runs the handler, writes the answer and takes the role
 * back. That is the common path: no other thread is woken, nothing is handed over. Only when a
 * handler runs longer than the relay delay ({@value #RELAY_MILLIS} ms by default) does the relay
 * thread pass the role to a waiting follower, or to a new thread, which then reads (and answers
 * {@code $/cancelRequest} and {@code $/ping}) while the handler goes on; the thread that ran the
 * handler waits as a follower afterwards. Go's runtime keeps its processors busy the same way when
 * a goroutine blocks in a system call.
 *
 * <p>The relay thread looks every relay delay while requests keep coming, and sleeps (no wake-ups
 * at all) once {@value #QUIET_LOOKS} looks in a row found nothing new, until the next request.
 *
 * <p>Thread-safe.
 */
final class ReaderRole {
    /**
     * The relay delay: how long a handler runs with nobody reading before another thread reads. It
     * bounds how late a cancellation or ping is seen during a long handler, and sets how often the
     * relay looks while requests come (measured: 1 ms and 10 ms did not differ beyond the noise of a
     * shared 2-core machine; 5 ms keeps the looks at 200 a second).
     */
    static final long RELAY_MILLIS = 5;
    /** Looks without a new request after which the relay thread sleeps until the next one. */
    static final int QUIET_LOOKS = 50;

    private final long relayNanos;
    /** What a new follower thread runs: takes turns at reading until the session ends. */
    private final Runnable follower;
    private final AtomicReference<@Nullable Thread> holder = new AtomicReference<>();
    /** Followers waiting for the role; guarded by itself. */
    private final ArrayDeque<Thread> waiting = new ArrayDeque<>();
    /** Every thread started here (followers and the relay), to wait for at the end; guarded by itself. */
    private final List<Thread> started = new ArrayList<>();
    private volatile boolean ended;
    /** How often the role was let go of for a handler; written by the holder only. */
    private volatile long releases;
    /** When it was last let go of. */
    private volatile long releasedAt;
    private volatile boolean relaySleeps = true;
    /** Guarded by {@link #started}. */
    private @Nullable Thread relay;
    /** Guarded by {@link #started}. */
    private int followers;

    ReaderRole(Duration relayDelay, Runnable follower) {
        this.relayNanos = relayDelay.toNanos();
        this.follower = follower;
    }

    /**
     * Waits until the calling thread holds the role: at once if nobody holds it, else as a follower
     * until the relay passes it on.
     *
     * @return {@code false} once the session has ended (the caller then stops)
     */
    boolean acquire() {
        Thread me = Thread.currentThread();
        if (holder.get() != me && !holder.compareAndSet(null, me)) {
            synchronized (waiting) {
                waiting.addLast(me);
            }
            try {
                while (holder.get() != me && !ended) {
                    LockSupport.park(this);
                }
            } finally {
                synchronized (waiting) {
                    waiting.remove(me);
                }
            }
        }
        if (ended) {
            holder.compareAndSet(me, null);
            return false;
        }
        return true;
    }

    /** The holder lets go of the role to run a handler; nobody is woken unless the relay sleeps. */
    @SuppressWarnings("NonAtomicVolatileUpdate") // only the holder writes it; see below
    void release() {
        releasedAt = System.nanoTime();
        releases = releases + 1; // only the holder writes it, and holders follow one another through the CAS
        holder.set(null);
        if (relaySleeps) {
            wakeRelay();
        }
    }

    /** Stdin has ended (or failed): nobody reads any more; every thread waiting for the role stops. */
    void end() {
        ended = true;
        holder.set(null);
        List<Thread> toWake;
        synchronized (waiting) {
            toWake = List.copyOf(waiting);
        }
        toWake.forEach(LockSupport::unpark);
        synchronized (started) {
            if (relay != null) {
                LockSupport.unpark(relay);
            }
        }
    }

    /** Waits until every thread started here has finished. */
    void awaitThreads() {
        int joined = 0;
        while (true) {
            Thread next;
            synchronized (started) {
                if (joined == started.size()) {
                    return;
                }
                next = started.get(joined);
            }
            joinUninterruptibly(next);
            joined++;
        }
    }

    private void wakeRelay() {
        Thread r;
        synchronized (started) {
            if (ended) {
                return;
            }
            if (relay == null) {
                relay = Thread.ofPlatform().daemon().name("warmpool-worker-relay").unstarted(this::watch);
                started.add(relay);
                relaySleeps = false;
                relay.start();
                return;
            }
            r = relay;
        }
        LockSupport.unpark(r);
    }

    /** The relay thread: looks for a handler that has run past the delay with nobody reading. */
    private void watch() {
        long seen = releases;
        int quiet = 0;
        while (!ended) {
            LockSupport.parkNanos(this, relayNanos);
            relayIfStuck();
            long now = releases;
            quiet = now == seen ? quiet + 1 : 0;
            seen = now;
            if (quiet >= QUIET_LOOKS) {
                relaySleeps = true;
                // announced before looking again: a release after this look sees the flag and wakes it
                if (releases == seen && holder.get() != null && !ended) {
                    LockSupport.park(this);
                }
                relaySleeps = false;
                quiet = 0;
                seen = releases;
            }
        }
    }

    private void relayIfStuck() {
        if (ended || holder.get() != null || System.nanoTime() - releasedAt < relayNanos) {
            return;
        }
        Thread next;
        synchronized (waiting) {
            next = waiting.peekFirst();
        }
        if (next != null) {
            if (holder.compareAndSet(null, next)) {
                LockSupport.unpark(next);
            }
            return;
        }
        Thread t;
        synchronized (started) {
            t = Thread.ofPlatform().daemon().name("warmpool-worker-" + (followers + 1)).unstarted(this::runFollower);
        }
        if (holder.compareAndSet(null, t)) {
            synchronized (started) {
                followers++;
                started.add(t);
            }
            t.start();
        }
    }

    private void runFollower() {
        try {
            follower.run();
        } catch (RuntimeException | Error e) {
            WorkerServer.log().log(WARNING, "a reading thread of the worker server failed; serving ends", e);
            end();
            throw e;
        }
    }

    private static void joinUninterruptibly(Thread t) {
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
