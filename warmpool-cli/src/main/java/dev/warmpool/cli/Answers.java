package dev.warmpool.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Writes the answer lines of {@code warmpool run} to stdout, one JSON object per line, from a thread
 * of its own so the pool's threads never wait on a slow reader of stdout.
 *
 * <p>Each answer carries the sequence number of its input line; with {@code ordered} the answers
 * are written in that order (an answer that is ready early waits for those before it), otherwise
 * as they come. The stream is flushed whenever no answer is waiting to be written. If stdout goes
 * away (a closed pipe) the rest of the answers are dropped and {@link #broken()} says so.
 *
 * <p>Thread-safe.
 */
final class Answers implements AutoCloseable {
    /** Marks the end of the answers; compared by identity, so no answer can be mistaken for it. */
    private static final String END = new String("end");

    private final OutputStream out;
    private final boolean ordered;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Map<Long, String> early = new HashMap<>();
    private final Thread writer;
    private long next;
    private volatile IOException failure;

    /**
     * @param out where the lines go; not closed
     * @param ordered whether to write answers in input order
     */
    Answers(OutputStream out, boolean ordered) {
        this.out = out;
        this.ordered = ordered;
        this.writer = Thread.ofPlatform().name("warmpool-answers").daemon().start(this::write);
    }

    /**
     * @param seq the input line's sequence number, from 0 and without gaps
     * @param json the answer, one line of JSON
     */
    void answer(long seq, String json) {
        if (!ordered) {
            lines.add(json);
            return;
        }
        synchronized (early) {
            if (seq != next) {
                early.put(seq, json);
                return;
            }
            lines.add(json);
            next++;
            String more;
            while ((more = early.remove(next)) != null) {
                lines.add(more);
                next++;
            }
        }
    }

    private void write() {
        byte[] newline = {'\n'};
        try {
            while (true) {
                String line = lines.take();
                @SuppressWarnings("ReferenceEquality") // END is a sentinel instance, never equal to a line read by identity
                boolean end = line == END;
                if (end) {
                    out.flush();
                    return;
                }
                if (failure != null) {
                    continue;
                }
                try {
                    out.write(line.getBytes(StandardCharsets.UTF_8));
                    out.write(newline);
                    if (lines.isEmpty()) {
                        out.flush();
                    }
                } catch (IOException e) {
                    failure = e;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            failure = e;
        }
    }

    /** @return the error that stopped the output, if stdout went away */
    IOException broken() {
        return failure;
    }

    /** Writes what is queued and waits until it is flushed. Idempotent. */
    @Override
    public void close() {
        if (writer.isAlive()) {
            lines.add(END);
            try {
                writer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
