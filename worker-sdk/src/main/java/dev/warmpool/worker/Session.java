package dev.warmpool.worker;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.WARNING;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.warmpool.worker.wire.JsonRpcDecoder;
import dev.warmpool.worker.wire.JsonRpcEncoder;
import dev.warmpool.worker.wire.ResultBinding;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * One run of {@link WorkerServer#serve(java.io.InputStream, java.io.OutputStream)}: who reads stdin,
 * and on which thread each handler runs.
 *
 * <p><b>Inline (the default).</b> The thread that reads a request runs its handler and writes the
 * answer itself; no other thread is woken on the way. While the handler runs nobody reads, until it
 * has run longer than the relay delay: then {@link ReaderRole} has another thread take over reading,
 * so {@code $/cancelRequest} and {@code $/ping} are still answered during a long handler, and
 * requests that arrive together run at once, each on its own thread. What a reading thread can
 * answer at once (the handshake, pings, cancellations, errors) it answers without letting go of
 * reading.
 *
 * <p><b>With an executor</b> ({@link WorkerServer.Builder#executor}): the calling thread reads all
 * the time and hands each handler's request to the executor.
 *
 * <p>Either way {@code run} returns once stdin has ended and every handler has answered.
 */
final class Session {
    private static final System.Logger LOG = WorkerServer.log();

    /** What reading a frame left to do. */
    sealed interface Work permits RequestState, Batch, Done {
    }

    /** Work already done by the reader. */
    enum Done implements Work {
        /** The lane's encoder holds an answer to send. */
        ANSWERED,
        /** Nothing to send. */
        SILENT
    }

    /** A batch: its elements are answered together, in one array. */
    record Batch(ArrayNode elements) implements Work {
    }

    /** The notifications a handler sends through its {@link RequestContext}. */
    enum Notification {
        PROGRESS, LOG, OTHER
    }

    final WorkerServer server;
    final Requests requests;
    private final JsonRpcDecoder decoder;
    private final FrameInput input;
    final FrameOutput output;
    private final @Nullable ExecutorService executor;
    /** Who reads stdin when handlers run inline. */
    private final ReaderRole reader;
    private final List<Lane> lanes = new CopyOnWriteArrayList<>();
    /** Lanes free for executor tasks; guarded by itself. */
    private final ArrayDeque<Lane> freeLanes = new ArrayDeque<>();
    /** Executor tasks not yet answered; guarded by {@code this}. */
    private int outstanding;
    private volatile @Nullable IOException failure;

    Session(WorkerServer server, FrameInput input, FrameOutput output, int maxFrameBytes, @Nullable ExecutorService executor) {
        this.server = server;
        this.decoder = new JsonRpcDecoder(server.mapper());
        this.requests = new Requests(this, decoder, maxFrameBytes);
        this.input = input;
        this.output = output;
        this.executor = executor;
        this.reader = new ReaderRole(server.relayDelay(), () -> lead(newLane()));
    }

    void run() throws IOException {
        if (executor == null) {
            try {
                lead(newLane());
            } catch (RuntimeException | Error e) {
                reader.end(); // so no thread waits for a reader that will not come
                throw e;
            } finally {
                reader.awaitThreads();
            }
        } else {
            readForExecutor(newLane());
            awaitOutstanding();
        }
        if (failure != null) {
            throw failure;
        }
    }

    // ---------------------------------------------------------------- inline

    /**
     * Takes turns at reading; runs the handlers of the requests it reads. Returns once stdin has
     * ended (for every thread: the one that saw the end, and the others when they next want to read).
     */
    private void lead(Lane lane) {
        while (reader.acquire()) {
            Work work = next(lane);
            if (work == null) {
                reader.end();
                return;
            }
            if (work instanceof RequestState s) {
                lane.current = s; // before another thread can read a $/cancelRequest for it
            }
            reader.release();
            run(work, lane);
        }
    }

    /** Runs the work's handlers and encodes the answer. @return whether there is an answer to send */
    private boolean answer(Work work, Lane lane) {
        return switch (work) {
            case RequestState s -> requests.answer(s, lane) == Done.ANSWERED;
            case Batch b -> requests.answerBatch(b, lane);
            case Done d -> d == Done.ANSWERED;
        };
    }

    private static JsonNode idOf(Work work) {
        return work instanceof RequestState s ? s.id : NullNode.getInstance();
    }

    private void run(Work work, Lane lane) {
        if (answer(work, lane)) {
            send(lane, idOf(work));
        }
    }

    // ---------------------------------------------------------------- with an executor

    private void readForExecutor(Lane lane) {
        Work work;
        while ((work = next(lane)) != null) {
            Lane task = borrowLane();
            if (work instanceof RequestState s) {
                task.current = s;
            }
            Work w = work;
            synchronized (this) {
                outstanding++;
            }
            try {
                // only a session with an executor reads for one
                Objects.requireNonNull(executor, "executor").execute(() -> {
                    try {
                        run(w, task);
                    } finally {
                        returnLane(task);
                        taskDone();
                    }
                });
            } catch (RejectedExecutionException e) {
                LOG.log(WARNING, "the executor refused a request; it runs on the reading thread", e);
                try {
                    run(w, task);
                } finally {
                    returnLane(task);
                    taskDone();
                }
            }
        }
    }

    private synchronized void taskDone() {
        if (--outstanding == 0) {
            notifyAll();
        }
    }

    private synchronized void awaitOutstanding() {
        boolean interrupted = false;
        while (outstanding > 0) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private Lane borrowLane() {
        synchronized (freeLanes) {
            Lane l = freeLanes.poll();
            if (l != null) {
                return l;
            }
        }
        return newLane();
    }

    private void returnLane(Lane l) {
        l.current = null;
        synchronized (freeLanes) {
            freeLanes.push(l);
        }
    }

    // ---------------------------------------------------------------- reading

    /**
     * Reads frames, answering what needs no handler, until one needs a handler. Only the holder of
     * the reader role calls it.
     *
     * @return the work, or {@code null} once stdin has ended
     */
    private @Nullable Work next(Lane lane) {
        while (true) {
            try {
                if (!input.next()) {
                    return end(null);
                }
            } catch (FrameInput.TooLarge e) {
                LOG.log(WARNING, "skipped a request: " + e.getMessage());
                requests.frameTooLarge(lane.encoder, e.size(), e.limit());
                send(lane, NullNode.getInstance());
                continue;
            } catch (FrameInput.Truncated e) {
                LOG.log(WARNING, e.getMessage());
                return end(null);
            } catch (FrameInput.Malformed e) {
                // Content-Length framing cannot find the next frame after this: say why, then stop
                requests.parseError(lane.encoder, e.getMessage());
                send(lane, NullNode.getInstance());
                return end(e);
            } catch (IOException e) {
                return end(e);
            }
            try {
                decoder.decode(input.buffer(), input.start(), input.length(), lane.message, ResultBinding.NONE);
            } catch (IOException e) {
                LOG.log(DEBUG, () -> "request is not JSON: " + e.getMessage());
                requests.parseError(lane.encoder, null);
                send(lane, NullNode.getInstance());
                continue;
            }
            Work work = requests.dispatch(lane.message, lane);
            if (work == Done.ANSWERED) {
                send(lane, lane.message.id());
            } else if (work != Done.SILENT) {
                return work;
            }
        }
    }

    private @Nullable Work end(@Nullable IOException why) {
        if (why != null) {
            failure = why;
        }
        return null;
    }

    /**
     * Sends the answer the lane's encoder holds. If newline framing cannot carry it, sends an error
     * for {@code id} instead.
     */
    void send(Lane lane, JsonNode id) {
        try {
            output.write(lane.encoder);
        } catch (IllegalArgumentException e) {
            LOG.log(WARNING, "could not send an answer: " + e.getMessage());
            requests.internalError(lane.encoder, id, "could not send the answer: " + e.getMessage());
            output.write(lane.encoder);
        }
    }

    // ---------------------------------------------------------------- cancellation and notifications

    /** Cancels the running request with this id, if there is one. */
    void cancel(JsonNode id) {
        if (id.isMissingNode()) {
            return;
        }
        for (Lane l : lanes) {
            RequestState s = l.current;
            if (s != null && !s.isNotification() && s.id.equals(id)) {
                s.cancel();
            }
        }
    }

    /**
     * Sends a handler's notification, encoded with the lane of the handler's own thread when it
     * sends from there, else with an encoder of its own.
     */
    void notify(@Nullable Lane own, Notification kind, JsonNode id, @Nullable String name, @Nullable Object value,
            @Nullable String text) {
        JsonRpcEncoder e = own != null ? own.encoder : new JsonRpcEncoder(server.mapper());
        requests.notification(e, kind, id, name, value, text);
        output.write(e);
    }

    private Lane newLane() {
        Lane l = new Lane(server.mapper());
        lanes.add(l);
        return l;
    }
}
