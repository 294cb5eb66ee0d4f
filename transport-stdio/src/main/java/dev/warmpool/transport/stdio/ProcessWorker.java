package dev.warmpool.transport.stdio;

import dev.warmpool.api.ProtocolException;
import dev.warmpool.api.WorkerPoolException;
import dev.warmpool.api.WorkerStartException;
import dev.warmpool.api.spi.Worker;
import dev.warmpool.api.spi.WorkerSpec;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The base of every transport that keeps one worker process and speaks a framed protocol over its
 * stdin and stdout: it owns the process (through a {@link WorkerChannel}) and everything about it
 * that is not the protocol, so a transport keeps only its protocol logic.
 *
 * <p><b>What the base does.</b>
 * <ul>
 *   <li><b>Reading.</b> {@link #startReading()} starts one daemon platform thread per worker that
 *       reads stdout frame by frame and hands each to {@link #onFrame(byte[])}; a frame over
 *       {@code maxFrameBytes} goes to {@link #onOversizeFrame} (by default a protocol violation; the
 *       rest of the frame is skipped, never buffered). After a violation frames are read and dropped,
 *       so the worker never blocks on a full stdout pipe.</li>
 *   <li><b>Writing.</b> {@link #send(byte[])} never blocks: a frame is written on the calling
 *       thread when the writer is free and it fits, with what the worker may not have read yet, in
 *       16 KiB (the smallest default pipe); on the reader thread only if, besides, the worker has
 *       printed since the last write (it is reading: it answered); every other frame
 *       is queued to a virtual thread of this worker. No
 *       write happens under a lock, so a worker that stops reading blocks no thread that another
 *       needs: {@link #cancel()} frames queue behind the stuck write, and {@link #kill()} ends it
 *       ("Broken pipe").</li>
 *   <li><b>The first failure.</b> Why the worker is no longer usable is recorded once
 *       ({@link WorkerFailure}): it ended, broke the protocol ({@link #protocolViolation}), or was
 *       stopped or killed. {@link #isUsable()} is {@code false} from then on, and {@link #refusal}
 *       gives the exception for anything a subclass is asked to send afterwards.</li>
 *   <li><b>The end.</b> When stdout reaches end-of-file (or cannot be read), or a write fails, or
 *       the process exited and {@link #AFTER_EXIT_GRACE} later stdout is still open (a process it
 *       started holds it) while something is in flight, the base waits up to {@link #EXIT_WAIT} for
 *       the exit status and up to {@link #STDERR_WAIT} for the rest of stderr, then calls
 *       {@link #failInFlight(WorkerFailure)} once. Its {@link WorkerFailure#during(String)} words the
 *       crash: "worker w-1 exited while running request 3 (exit code 2); last stderr lines: ...". An
 *       exit with status 0 is a crash too. A write that was still blocked is named: "it had stopped
 *       reading its input".</li>
 *   <li><b>Readiness.</b> {@link #awaitReady} waits for a subclass's handshake within the spec's
 *       start timeout and turns every failure into one {@link WorkerStartException} that names what
 *       happened, the command line and the directory once, followed by the stderr tail.</li>
 * </ul>
 *
 * <p><b>What a subclass does.</b> Its transport starts a channel ({@link WorkerChannel#start}),
 * constructs the worker, calls {@link #startReading()} and, if it has a handshake,
 * {@link #awaitReady}. It implements {@link #call}, {@link #cancel()} and {@link #ping()} by
 * encoding frames and calling {@link #send(byte[])}; {@link #onFrame(byte[])} to decode what
 * arrives and complete its futures; {@link #hasInFlight()} and {@link #failInFlight(WorkerFailure)}
 * for the calls, handshakes and pings it waits on. Each of its futures must complete exactly once
 * (a compare-and-set on its in-flight record), because {@code onFrame} and {@code failInFlight} may
 * race. A subclass that registers a call checks {@link #refusal} before and again after registering
 * it: the base records a failure before it calls {@code failInFlight}, so a call registered in
 * between is seen by one of the two.
 *
 * <p><b>Threads.</b> {@code onFrame}, {@code onOversizeFrame} and, at end-of-file,
 * {@code failInFlight} run on the reader thread, so futures completed there run their dependent
 * actions on it; those may call {@link #send(byte[])} (it queues instead of writing there) but must
 * not block. {@code failInFlight} may also run on a timer or a virtual thread. All public methods are
 * thread-safe; none blocks except {@link #awaitReady}.
 */
public abstract class ProcessWorker implements Worker {
    /** How long to wait for the exit status after stdout ended or a write failed; -1 if it does not come. */
    public static final Duration EXIT_WAIT = Duration.ofSeconds(1);
    /**
     * How long after the process exited what is in flight may still be answered from the pipe. Only
     * matters when a process the worker started keeps stdout open, so no end-of-file comes.
     */
    public static final Duration AFTER_EXIT_GRACE = Duration.ofSeconds(1);
    /** How long to wait, once the process exited, for the rest of stderr, so a crash carries its last words. */
    public static final Duration STDERR_WAIT = Duration.ofMillis(500);

    private static final Logger LOG = LoggerFactory.getLogger(ProcessWorker.class);

    /**
     * What a handshake waits for, in the two forms messages need.
     *
     * @param waitFor after "did not": {@code "become ready"}, {@code "print its ready line 'READY'"}
     * @param reached after "before it": {@code "became ready"}, {@code "printed its ready line 'READY'"}
     */
    public record Readiness(String waitFor, String reached) {
        /** The usual wording: "did not become ready", "before it became ready". */
        public static final Readiness BECOME_READY = new Readiness("become ready", "became ready");

        /** Checks the components. */
        public Readiness {
            Objects.requireNonNull(waitFor, "waitFor");
            Objects.requireNonNull(reached, "reached");
        }
    }

    private final String transport;
    private final WorkerChannel channel;
    private final WorkerSpec spec;
    private final String id;
    private final Framing framing;
    private final String frameNoun;
    private final long createdNanos = System.nanoTime();
    private final AtomicLong sent = new AtomicLong();
    private final StampedInput input;
    private final FrameReader reader;
    private final StdinWriter writer;
    private final FailureRecord record;
    private final AtomicBoolean reading = new AtomicBoolean();
    private volatile @Nullable Thread readerThread;
    /** Set by a failed write that had been blocked: why, in words, for the end's message. */
    private volatile String stuckWrite = "";

    /**
     * Sets up the reader and writer of the worker's frames; nothing is read or sent until {@link #startReading()}.
     *
     * @param transport the transport's name, for thread names and logs, e.g. {@code "jsonrpc"}
     * @param channel the worker's pipes and process
     * @param spec the spec the worker was started from (its command, directory, start timeout,
     *     frame limit and strictness are used)
     * @param framing how frames are cut from stdout and put on stdin ({@link Framing#NEWLINE}
     *     skips empty lines)
     */
    protected ProcessWorker(String transport, WorkerChannel channel, WorkerSpec spec, Framing framing) {
        this(transport, channel, spec, framing, false);
    }

    /** @param emptyLines with newline framing, whether empty lines are frames (the line transport) */
    ProcessWorker(String transport, WorkerChannel channel, WorkerSpec spec, Framing framing, boolean emptyLines) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.channel = Objects.requireNonNull(channel, "channel");
        this.spec = Objects.requireNonNull(spec, "spec");
        this.framing = Objects.requireNonNull(framing, "framing");
        this.id = spec.id();
        this.frameNoun = framing == Framing.NEWLINE ? "line" : "frame";
        FrameWriter frames = framing.writer(channel.stdin(), spec.maxFrameBytes());
        this.writer = new StdinWriter(id, frames);
        this.record = new FailureRecord(id, channel);
        this.input = new StampedInput(channel.stdout(), sent::get, writer::outputMoved);
        this.reader = framing == Framing.NEWLINE && emptyLines
                ? new NewlineFrameReader(input, spec.maxFrameBytes(), false)
                : framing.reader(input, spec.maxFrameBytes());
    }

    // ------------------------------------------------------------------ for subclasses

    /**
     * Starts the reader thread and the exit watcher. Call once, after construction and before
     * {@link #send(byte[])}.
     *
     * @throws IllegalStateException if called twice
     */
    protected final void startReading() {
        if (!reading.compareAndSet(false, true)) {
            throw new IllegalStateException("worker " + id + " is already reading");
        }
        writer.onFailure(e -> writeFailed(writer, e));
        Thread t = new Thread(this::readLoop, "warmpool-" + transport + "-" + id + "-reader");
        t.setDaemon(true);
        readerThread = t;
        t.start();
        channel.onExit().thenAccept(this::exited);
    }

    /**
     * Waits until {@code ready} completes, within what is left of the spec's start timeout (counted
     * from this worker's construction). On any failure the worker is killed and a
     * {@link WorkerStartException} thrown: "worker w-1 exited with code 4 before it printed its
     * ready line 'READY' (command: sh -c 'exit 4'; directory: /srv); last stderr lines: ...". A
     * {@link WorkerPoolException} that {@code ready} fails with, other than a crash, gives its own
     * message (it should start with "worker ID "); a crash is worded from the recorded end.
     *
     * @param ready completes when the worker is ready; fails when it never will be
     * @param readiness what is waited for, for the message
     * @throws WorkerStartException if the worker did not become ready, also when the waiting
     *     thread is interrupted (its interrupt flag is kept)
     */
    protected final void awaitReady(CompletableFuture<?> ready, Readiness readiness) {
        new StartWait(spec, channel, record).await(ready, readiness, createdNanos);
    }

    /**
     * Sends one frame without blocking: written now when that cannot block, else queued to this
     * worker's writer thread, in order. If writing fails (the worker exited, closed its stdin, or was
     * killed while the write was blocked) the end is reported through {@link #failInFlight}, so the
     * caller learns of it through its in-flight record, not here.
     *
     * @param frame the frame's bytes, without terminator or header
     * @return the frame's number: 1 for the first frame sent, 2 for the next, ...; see {@link #receivedBefore(long)}
     * @throws IllegalArgumentException if the frame is over {@code maxFrameBytes}, or contains a
     *     {@code '\n'} under newline framing (check before: nothing is sent)
     * @throws IllegalStateException if {@link #startReading()} has not been called
     */
    protected final long send(byte[] frame) {
        if (readerThread == null) {
            throw new IllegalStateException("worker " + id + ": send before startReading");
        }
        if (frame.length > spec.maxFrameBytes()) {
            throw new IllegalArgumentException("a frame of " + frame.length + " bytes is over the limit of "
                    + spec.maxFrameBytes() + " bytes (maxFrameBytes)");
        }
        if (framing == Framing.NEWLINE) {
            for (byte b : frame) {
                if (b == '\n') {
                    throw new IllegalArgumentException("a frame contains a newline, which newline framing cannot carry");
                }
            }
        }
        long n = sent.incrementAndGet();
        writer.send(frame, Thread.currentThread() == readerThread);
        return n;
    }

    /**
     * Counts the frames sent to the worker, for subclasses that number their requests by frame.
     *
     * @return how many frames {@link #send(byte[])} has taken so far; the next one gets this plus
     *     one (unless another thread sends first)
     */
    protected final long framesSent() {
        return sent.get();
    }

    /**
     * Only in {@link #onFrame}: whether the frame being handled was read from stdout before frame
     * {@code number} was sent, so it cannot answer that frame (the worker printed it before it could
     * have read it). {@code false} says nothing either way: a late line and an answer look alike. A
     * subclass that must know the number before its frame can be answered records
     * {@link #framesSent()} + 1 before it sends; if another frame went first, the number is lower
     * than the real one and this method errs towards {@code false}.
     *
     * @param number a frame's number ({@link #send(byte[])} returns it)
     * @return whether the frame in hand was already read when frame {@code number} was sent
     */
    protected final boolean receivedBefore(long number) {
        return input.stamp() < number;
    }

    /**
     * Records a protocol violation: the worker is unusable from now on, everything in flight fails
     * with a {@link ProtocolException} ("worker w-1 DETAIL (while ACTIVITY)"), the violation is
     * logged at WARN once, and {@link #violated(WorkerFailure)} runs.
     *
     * @param detail what the worker did, after "worker ID ", e.g. "printed a line while no request was running"
     * @param cause the parser's error, or {@code null}
     */
    protected final void protocolViolation(String detail, @Nullable Throwable cause) {
        WorkerFailure f = WorkerFailure.protocol(id, "worker " + id + " " + detail, cause);
        if (record.mark(f)) {
            LOG.warn("{}; the worker is no longer usable", f);
        }
        failInFlight(f);
        violated(f);
    }

    /**
     * Decides whether something may still be sent to this worker, and if not, with which exception its caller
     * fails.
     *
     * @param what what was to be sent, e.g. {@code "request 4"}, {@code "the health check"}
     * @return empty while the worker is usable; else the exception for something not sent
     *     because of its first failure ("worker w-1 had already exited when request 4 was to be
     *     sent (exit code 3)", or the violation's {@link ProtocolException})
     */
    protected final Optional<WorkerPoolException> refusal(String what) {
        return record.refusal(what);
    }

    /**
     * Fails {@code future} with {@link #refusal(String) the refusal} if the worker is no longer usable.
     *
     * @param future the future of what was to be sent
     * @param what what was to be sent, e.g. {@code "the request"}
     * @return whether {@code future} was failed (nothing should be sent then)
     */
    protected final boolean refuse(CompletableFuture<?> future, String what) {
        Optional<WorkerPoolException> refused = refusal(what);
        refused.ifPresent(future::completeExceptionally);
        return refused.isPresent();
    }

    /** {@return the first failure recorded for this worker, once there is one (later ones are dropped)} */
    protected final Optional<WorkerFailure> failure() {
        return Optional.ofNullable(record.first());
    }

    /** {@return the spec the worker was started from} */
    protected final WorkerSpec spec() {
        return spec;
    }

    /** {@return the worker's channel, e.g. for its stderr tail} */
    protected final WorkerChannel channel() {
        return channel;
    }

    /**
     * Handles one frame of the worker's output. Runs on the reader thread; must not block. A
     * {@link RuntimeException} it throws is a protocol violation.
     *
     * @param frame the frame's bytes, without terminator or header
     */
    protected abstract void onFrame(byte[] frame);

    /**
     * Handles a frame over {@code maxFrameBytes}, whose rest the reader skips. By default a
     * protocol violation: "printed a line of at least N bytes, above the limit of M bytes (maxFrameBytes)".
     *
     * @param e the reader's report, with the size seen and the limit
     */
    protected void onOversizeFrame(FrameTooLargeException e) {
        protocolViolation("printed a " + frameNoun + " of at least " + e.size() + " bytes, above the limit of "
                + e.limit() + " bytes (maxFrameBytes)", e);
    }

    /**
     * Runs after {@link #protocolViolation}, on its thread. By default nothing (the pool replaces an
     * unusable worker); a transport whose worker would go on costing something may kill it here.
     *
     * @param failure the violation
     */
    protected void violated(WorkerFailure failure) {
        // the pool replaces the worker
    }

    /** {@return whether anything waits for the worker's output: a call, a handshake, a ping} */
    protected abstract boolean hasInFlight();

    /**
     * Fails everything in flight with {@code failure.during(...)} (or, for a protocol violation, an
     * exception of the subclass's own wording). May run on any thread, and may race with
     * {@link #onFrame}: complete each future once.
     *
     * @param failure why
     */
    protected abstract void failInFlight(WorkerFailure failure);

    // ------------------------------------------------------------------ Worker

    @Override
    public final String id() {
        return id;
    }

    /** @return the worker process's pid, or empty for a channel without a process */
    @Override
    public final OptionalLong pid() {
        return channel.pid();
    }

    /** @return {@code false} once a failure is recorded, stdout ended, or the process exited */
    @Override
    public boolean isUsable() {
        return record.isUsable();
    }

    /**
     * {@inheritDoc}
     *
     * <p>{@code true}: {@link #send(byte[])} never blocks. A subclass whose {@link #call} does more
     * than encode and {@code send} (waits for something, say) overrides this with {@code false}.
     */
    @Override
    public boolean callNeverBlocks() {
        return true;
    }

    @Override
    public final CompletableFuture<Integer> onExit() {
        return channel.onExit();
    }

    /** Closes stdin, then terminates and kills after {@code grace} each; never waits for a write in progress. */
    @Override
    public final CompletableFuture<Integer> stop(Duration grace) {
        record.mark(WorkerFailure.stopped(id, "stopped"));
        return channel.stop(grace);
    }

    /** Kills the worker and what it started; a write blocked on its stdin then fails, which ends what is in flight. */
    @Override
    public final void kill() {
        record.mark(WorkerFailure.stopped(id, "killed"));
        channel.kill();
    }

    @Override
    public final List<String> stderrTail() {
        return channel.stderrTail();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + id + pid().stream().mapToObj(p -> ", pid " + p).findFirst().orElse("")
                + (isUsable() ? "" : ", unusable") + "]";
    }

    // ------------------------------------------------------------------ the reader and the end

    private void readLoop() {
        try {
            while (true) {
                byte[] frame;
                try {
                    frame = reader.read();
                } catch (FrameTooLargeException e) {
                    if (!record.isBroken()) {
                        onOversizeFrame(e);
                    }
                    continue;
                } catch (MalformedFrameException e) {
                    protocolViolation("sent a malformed frame header: " + e.getMessage(), e);
                    drainRest();
                    end("closed its stdout", "");
                    return;
                }
                if (frame == null) {
                    end("closed its stdout", "");
                    return;
                }
                if (!record.isBroken()) {
                    handle(frame);
                }
            }
        } catch (TruncatedFrameException e) {
            end("closed its stdout", " (its output ended in the middle of a " + frameNoun + ")");
        } catch (IOException e) {
            end("closed its stdout", " (reading its stdout failed: " + e.getMessage() + ")");
        } catch (RuntimeException | Error e) {
            LOG.error("worker {}: the stdout reader failed", id, e);
            protocolViolation("could not be read: " + e, e);
            end("closed its stdout", "");
        }
    }

    private void handle(byte[] frame) {
        try {
            onFrame(frame);
        } catch (RuntimeException e) {
            LOG.error("worker {}: handling a {} of its output failed", id, frameNoun, e);
            protocolViolation("sent a " + frameNoun + " that could not be handled (" + e + ")", e);
        }
    }

    /** Reads stdout to its end without framing, so a worker whose stream cannot be resynchronised does not block. */
    private void drainRest() {
        byte[] buf = new byte[8192];
        InputStream in = channel.stdout();
        try {
            while (in.read(buf) >= 0) {
                // dropped
            }
        } catch (IOException e) {
            // the end
        }
    }

    private void exited(int status) {
        record.mark(WorkerFailure.crashed(id, "exited", "", OptionalInt.of(status), List.of()));
        if (!hasInFlight()) {
            return;
        }
        CompletableFuture.delayedExecutor(AFTER_EXIT_GRACE.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            if (!record.hasEnded() && hasInFlight()) {
                end("exited", " (a process it started still holds its stdout)");
            }
        });
    }

    /**
     * @return the size of the frame a write to the worker's stdin is blocked in, busy with or failed
     *     in, or 0 (diagnostics)
     */
    final int writingBytes() {
        return writer.writingBytes();
    }

    /** Runs on the thread whose write failed, possibly a caller's: hands the waiting to a virtual thread. */
    private void writeFailed(StdinWriter w, IOException e) {
        stuckWrite = stuckNote(w);
        LOG.debug("worker {}: writing to its stdin failed: {}", id, e.toString());
        Thread.ofVirtual().name("warmpool-" + id + "-ended").start(
                () -> end("closed its stdin", " (" + e.getMessage() + ")"));
    }

    /**
     * @return why a write is still in progress although the pool stopped or killed the worker:
     *     the worker had stopped reading; or "" if there is no such write
     */
    private String stuckNote(StdinWriter w) {
        WorkerFailure f = record.first();
        int bytes = w.writingBytes();
        if (bytes == 0 || f == null || f.kind() != WorkerFailure.Kind.STOPPED) {
            return "";
        }
        long ms = (System.nanoTime() - w.writingSince()) / 1_000_000;
        return " (it had stopped reading its input: a write of " + bytes + " bytes to its stdin was still blocked after "
                + ms + " ms)";
    }

    /**
     * The worker's output ended, a write failed, or it exited and its stdout stayed open: records
     * the crash and fails what is in flight, once. May block up to {@link #EXIT_WAIT} plus
     * {@link #STDERR_WAIT}.
     *
     * @param ifRunning what happened if the process is still running, e.g. "closed its stdout"
     * @param note added after the activity, or ""
     */
    private void end(String ifRunning, String note) {
        if (record.hasEnded()) {
            return;
        }
        String stuck = stuckWrite.isEmpty() ? stuckNote(writer) : stuckWrite;
        record.end(ifRunning, stuck.isEmpty() ? note : stuck).ifPresent(f -> {
            if (hasInFlight()) {
                failInFlight(f);
            } else {
                LOG.debug("{}", f);
            }
        });
    }
}
