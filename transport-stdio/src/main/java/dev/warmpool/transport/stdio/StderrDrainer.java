package dev.warmpool.transport.stdio;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a worker's stderr until end-of-file on its own daemon thread, so the pipe never fills and
 * blocks the worker. Each line goes to the log at DEBUG and into a ring of the last lines.
 *
 * <p>Memory is bounded whatever the worker writes: a line longer than {@link #MAX_LINE_BYTES} is
 * cut (the rest is counted and dropped until the next newline), and the ring holds at most
 * {@code tailLines} lines.
 */
final class StderrDrainer implements Runnable {
    /** How many bytes of one stderr line are kept; the rest is cut. */
    static final int MAX_LINE_BYTES = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(WorkerProcess.STDERR_LOGGER);

    private final String workerId;
    private final InputStream in;
    private final int tailLines;
    private final ArrayDeque<String> tail;
    private final CountDownLatch done = new CountDownLatch(1);

    private final byte[] line = new byte[MAX_LINE_BYTES];
    private int lineLength;
    private long cutBytes;

    StderrDrainer(String workerId, InputStream in, int tailLines) {
        this.workerId = workerId;
        this.in = in;
        this.tailLines = Math.max(0, tailLines);
        this.tail = new ArrayDeque<>(Math.min(this.tailLines, 1024));
    }

    /** Starts draining on a new daemon thread. */
    void start() {
        Thread t = new Thread(this, "warmpool-stderr-" + workerId);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void run() {
        // small: the JDK's stream buffers 8 KiB already, so a small array costs copies, not reads
        byte[] buf = new byte[512];
        try (in) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                for (int i = 0; i < n; i++) {
                    byte b = buf[i];
                    if (b == '\n') {
                        endLine();
                    } else if (lineLength < MAX_LINE_BYTES) {
                        line[lineLength++] = b;
                    } else {
                        cutBytes++;
                    }
                }
            }
        } catch (IOException e) {
            // the stream was closed under us (the process was killed): what was read is kept
        } finally {
            if (lineLength > 0 || cutBytes > 0) {
                endLine();
            }
            done.countDown();
        }
    }

    private void endLine() {
        int len = lineLength;
        if (len > 0 && line[len - 1] == '\r' && cutBytes == 0) {
            len--;
        }
        String text = new String(line, 0, len, StandardCharsets.UTF_8);
        if (cutBytes > 0) {
            text = text + "... [" + cutBytes + " more bytes cut]";
        }
        lineLength = 0;
        cutBytes = 0;
        if (LOG.isDebugEnabled()) {
            LOG.debug("[{}] {}", workerId, text);
        }
        if (tailLines > 0) {
            synchronized (tail) {
                if (tail.size() == tailLines) {
                    tail.removeFirst();
                }
                tail.addLast(text);
            }
        }
    }

    /** @return the last lines read, oldest first */
    List<String> tail() {
        synchronized (tail) {
            return List.copyOf(tail);
        }
    }

    /**
     * @param timeoutMillis how long to wait
     * @return whether stderr reached end-of-file within the time
     * @throws InterruptedException if interrupted while waiting
     */
    boolean await(long timeoutMillis) throws InterruptedException {
        return done.await(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** @return whether stderr has reached end-of-file */
    boolean isDone() {
        return done.getCount() == 0;
    }
}
