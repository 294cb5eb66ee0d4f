package dev.warmpool.transport.stdio;

import java.io.IOException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Puts a {@link ProcessWorker}'s frames on the worker's stdin so that no thread that matters can be
 * frozen by a worker that stops reading.
 *
 * <p>A frame is written on the sending thread only when that cannot block: the writer is free
 * (nothing queued, nobody writing) and the frame plus what was written since the worker's output
 * last moved is at most {@value #INLINE_BUDGET_BYTES} bytes. A worker that consumed its earlier
 * input has an empty pipe, which holds 16 KiB on macOS and 64 KiB on Linux, so such a write
 * returns at once. The stdout reader's thread, which must never block (the worker could then
 * block writing its output, and neither would move), writes a frame itself only when, besides,
 * nothing at all was written since the worker's output last moved: the worker printed after it
 * was last sent something, so it is alive and answering, and the frame goes into a pipe it has
 * been emptying. That is the common case of a pool under load, where the thread that reads one
 * answer sends the next queued request; it saves a thread wake-up per request. (A worker that
 * answers lines it never read, one by one, and then writes more than a pipe's worth without
 * reading could block the reader until the pool's deadline kills the worker; a worker that prints
 * ahead of its requests is caught as a protocol violation first.) Every other frame is queued, in
 * order, to a virtual thread of this worker that
 * exists only while frames wait. (The hand-off costs about 18 µs per frame on a 2-core Linux VM,
 * which is why the limit is the pipe's smallest default size and not a few KiB: a 10 KB request
 * to {@code cat} took 39 µs handed off and 24 µs written inline.) So a sender never waits behind a stuck write, and a blocked
 * write holds no lock or monitor that another thread needs: it ends when the worker reads, or with
 * "Broken pipe" when the worker is killed.
 *
 * <p>After the first failed write the writer is spent: queued and later frames are dropped, and
 * the failure is reported once to the {@linkplain #onFailure handler} (which must not block; it
 * runs on the thread whose write failed).
 *
 * <p>Thread-safe; frames from several threads keep the order in which {@link #send} queued them.
 */
final class StdinWriter {
    /**
     * How many bytes may have been written since the worker's output last moved, this frame
     * included, for a sender to write the frame itself: the smallest default pipe size (macOS).
     */
    static final int INLINE_BUDGET_BYTES = 16384;

    private final String id;
    private final FrameWriter frames;
    private volatile Consumer<IOException> onFailure = e -> { };
    private final Queue<byte[]> queue = new ConcurrentLinkedQueue<>();
    /** Held by the one thread that writes: a sender writing its own frame, or the queue's thread. */
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicBoolean failed = new AtomicBoolean();
    /** Bytes written since the worker's output last moved. */
    private final AtomicLong unread = new AtomicLong();
    private volatile int writingBytes;
    private volatile long writingSince;

    StdinWriter(String id, FrameWriter frames) {
        this.id = id;
        this.frames = frames;
    }

    /** @param handler told of the first failed write; set before the first {@link #send} */
    void onFailure(Consumer<IOException> handler) {
        this.onFailure = handler;
    }

    /**
     * Writes {@code frame} now if that cannot block, else queues it; never blocks.
     *
     * @param frame the frame's bytes, checked by the caller against the framing and its limit
     * @param fromReader whether the calling thread is the worker's stdout reader, which writes only
     *     into a pipe the worker emptied since the last write
     */
    void send(byte[] frame, boolean fromReader) {
        if (failed.get()) {
            return;
        }
        long pending = unread.get();
        boolean small = pending + frame.length <= INLINE_BUDGET_BYTES && (!fromReader || pending == 0);
        if (small && queue.isEmpty() && busy.compareAndSet(false, true)) {
            if (queue.isEmpty()) {
                try {
                    write(frame);
                } finally {
                    release();
                }
                return;
            }
            queue.add(frame); // a frame was queued meanwhile: ours goes after it, and this thread hands over
            startDrainer();
            return;
        }
        queue.add(frame);
        if (busy.compareAndSet(false, true)) {
            startDrainer();
        }
    }

    /** The worker's stdout has moved: it is alive and (for a well-behaved worker) read what it answers. */
    void outputMoved() {
        if (unread.get() != 0) {
            unread.set(0);
        }
    }

    /**
     * @return the size of the frame whose write has not returned yet, or failed (the writer is spent
     *     then), and since when ({@link System#nanoTime()}); 0 bytes when no write is in progress
     */
    int writingBytes() {
        return writingBytes;
    }

    /** @return the {@link System#nanoTime()} at which the write in progress began */
    long writingSince() {
        return writingSince;
    }

    private void release() {
        busy.set(false);
        if (!queue.isEmpty() && busy.compareAndSet(false, true)) {
            startDrainer();
        }
    }

    /** Starts the queue's thread; the caller holds {@link #busy}, which passes to it. */
    private void startDrainer() {
        Thread.ofVirtual().name("warmpool-" + id + "-writer").start(this::drain);
    }

    private void drain() {
        while (true) {
            byte[] f;
            while ((f = queue.poll()) != null) {
                write(f);
            }
            busy.set(false);
            if (queue.isEmpty() || !busy.compareAndSet(false, true)) {
                return;
            }
        }
    }

    private void write(byte[] frame) {
        if (failed.get()) {
            return;
        }
        writingSince = System.nanoTime();
        writingBytes = frame.length;
        // counted before the write: a worker that answers before the write returns resets it to 0
        unread.addAndGet(frame.length);
        try {
            frames.write(frame);
            writingBytes = 0;
        } catch (IOException e) {
            // writingBytes keeps the failed write: the worker's end, which the stdout reader may be
            // wording at this moment on its own thread, can still say that a write was blocked
            if (failed.compareAndSet(false, true)) {
                queue.clear();
                onFailure.accept(e);
            }
        } catch (RuntimeException | Error e) {
            writingBytes = 0;
            throw e;
        }
    }
}
