package dev.warmpool.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The requests of one {@code warmpool run}: every input line that is a request gets a
 * {@link Ticket}, and every ticket is answered exactly once — whichever of the pool, the command's
 * own send deadline, or a stop answers first wins; the others are ignored. Counts the answers by
 * kind for the summary and the metrics endpoint.
 *
 * <p>Thread-safe: the reader opens tickets, the pool's threads and the command's timers answer them.
 */
final class Ledger {
    private final ObjectMapper mapper;
    private final Answers answers;
    private final Map<Failure.Kind, LongAdder> errors = new EnumMap<>(Failure.Kind.class);
    private final LongAdder succeeded = new LongAdder();
    private final Latencies latencies = new Latencies();
    private final Set<Ticket> unanswered = ConcurrentHashMap.newKeySet();
    private final Object lock = new Object();
    private long opened;
    private long outstanding;
    private boolean closed;

    /**
     * @param mapper writes the answer lines
     * @param answers where they go
     */
    Ledger(ObjectMapper mapper, Answers answers) {
        this.mapper = mapper;
        this.answers = answers;
        for (Failure.Kind k : Failure.Kind.values()) {
            errors.put(k, new LongAdder());
        }
    }

    /**
     * Opens a ticket for the next request, unless the ledger is closed.
     *
     * @param id the id to answer with
     * @return the ticket, or empty once {@link #close()} has run (the line is not read as a request)
     */
    Optional<Ticket> open(JsonNode id) {
        synchronized (lock) {
            if (closed) {
                return Optional.empty();
            }
            Ticket t = new Ticket(opened++, id, System.nanoTime());
            outstanding++;
            unanswered.add(t);
            return Optional.of(t);
        }
    }

    /** Opens no more tickets; those open still get their answers. */
    void close() {
        synchronized (lock) {
            closed = true;
        }
    }

    /**
     * Waits until every ticket is answered.
     *
     * @param nanos the longest wait
     * @return whether every ticket is answered
     * @throws InterruptedException if interrupted
     */
    boolean awaitAllAnswered(long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        synchronized (lock) {
            while (outstanding > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return true;
        }
    }

    /**
     * Answers every ticket still open with {@code f} (a stop that cannot wait for the pool).
     *
     * @param f the failure to answer with
     */
    void failAllUnanswered(Failure f) {
        for (Ticket t : unanswered) {
            t.fail(f);
        }
    }

    /** @return how many requests were read (tickets opened) */
    long requests() {
        synchronized (lock) {
            return opened;
        }
    }

    /** @return how many requests are not answered yet */
    long outstanding() {
        synchronized (lock) {
            return outstanding;
        }
    }

    /** @return requests answered with a result */
    long succeeded() {
        return succeeded.sum();
    }

    /**
     * @param kind an error kind
     * @return requests answered with that kind of error
     */
    long errors(Failure.Kind kind) {
        return errors.get(kind).sum();
    }

    /** @return the read-to-answer latencies of the requests that were sent to the pool */
    Latencies latencies() {
        return latencies;
    }

    private void settled(Ticket t) {
        unanswered.remove(t);
        synchronized (lock) {
            outstanding--;
            lock.notifyAll();
        }
    }

    /** One request, answered exactly once. */
    final class Ticket {
        private final long seq;
        private final JsonNode id;
        private final long readNanos;
        private final AtomicBoolean done = new AtomicBoolean();
        private volatile boolean sent;

        private Ticket(long seq, JsonNode id, long readNanos) {
            this.seq = seq;
            this.id = id;
            this.readNanos = readNanos;
        }

        /** Marks the request as handed to the pool: its latency counts in the summary. */
        void sent() {
            sent = true;
        }

        /** @return the id it is answered with */
        JsonNode id() {
            return id;
        }

        /** @return whether it has been answered */
        boolean answered() {
            return done.get();
        }

        /**
         * @param result the result
         * @return whether this was the answer (false if the ticket was answered already)
         */
        boolean succeed(Object result) {
            if (!done.compareAndSet(false, true)) {
                return false;
            }
            record();
            ObjectNode n = mapper.createObjectNode();
            n.set("id", id);
            try {
                n.set("result", mapper.valueToTree(result));
            } catch (IllegalArgumentException e) {
                // the transport returned a value JSON cannot hold; still one answer, of a kind that says so
                n.remove("result");
                errors.get(Failure.Kind.INTERNAL).increment();
                finish(error(n, Failure.internal(e)));
                return true;
            }
            succeeded.increment();
            finish(n);
            return true;
        }

        /**
         * @param f the failure
         * @return whether this was the answer (false if the ticket was answered already)
         */
        boolean fail(Failure f) {
            if (!done.compareAndSet(false, true)) {
                return false;
            }
            record();
            errors.get(f.kind()).increment();
            ObjectNode n = mapper.createObjectNode();
            n.set("id", id);
            finish(error(n, f));
            return true;
        }

        private ObjectNode error(ObjectNode n, Failure f) {
            ObjectNode e = n.putObject("error");
            e.put("kind", f.kind().label());
            e.put("message", f.message());
            f.code().ifPresent(code -> e.put("code", code));
            if (f.data() != null) {
                try {
                    e.set("data", mapper.valueToTree(f.data()));
                } catch (IllegalArgumentException ignored) {
                    e.put("data", String.valueOf(f.data()));
                }
            }
            return n;
        }

        private void record() {
            if (sent) {
                latencies.record(System.nanoTime() - readNanos);
            }
        }

        private void finish(ObjectNode n) {
            try {
                answers.answer(seq, mapper.writeValueAsString(n));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            } finally {
                settled(this);
            }
        }
    }
}
