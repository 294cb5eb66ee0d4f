package dev.warmpool.worker;

import static java.lang.System.Logger.Level.WARNING;

import dev.warmpool.worker.wire.JsonRpcEncoder;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Puts encoded envelopes on the worker's stdout, each as one whole frame in one write: the newline
 * goes after the envelope and the {@code Content-Length} header in the encoder's headroom before it,
 * so nothing is copied. Frames from several threads never interleave.
 *
 * <p>Once stdout fails (the pool closed it or died) nothing can be answered any more: later frames
 * are dropped, with one warning.
 *
 * <p>Thread-safe.
 */
final class FrameOutput {
    private static final byte[] HEADER_NAME = "Content-Length: ".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final OutputStream out;
    private final Framing framing;
    private volatile boolean broken;

    FrameOutput(OutputStream out, Framing framing) {
        this.out = out;
        this.framing = framing;
    }

    /**
     * Frames and writes the envelope the encoder holds, and flushes.
     *
     * @throws IllegalArgumentException if newline framing is asked to carry an envelope that holds a
     *     raw newline (only a value written raw by a custom serializer can); nothing is written
     */
    void write(JsonRpcEncoder encoder) {
        byte[] b = encoder.buffer();
        int from = encoder.offset();
        int end = from + encoder.length();
        if (framing == Framing.NEWLINE) {
            for (int i = from; i < end; i++) {
                if (b[i] == '\n') {
                    throw new IllegalArgumentException("the message holds a raw newline at byte " + (i - from)
                            + ", which newline framing cannot carry");
                }
            }
            b[end++] = '\n';
        } else {
            from = header(b, from, end - from);
        }
        if (broken) {
            return;
        }
        synchronized (this) {
            try {
                out.write(b, from, end - from);
                out.flush();
            } catch (IOException e) {
                if (!broken) {
                    broken = true;
                    WorkerServer.log().log(WARNING, "cannot write to stdout any more; answers are dropped: " + e);
                }
            }
        }
    }

    /** Writes {@code Content-Length: n\r\n\r\n} just before {@code body}. @return where the header starts */
    private static int header(byte[] b, int body, int n) {
        int at = body;
        b[--at] = '\n';
        b[--at] = '\r';
        b[--at] = '\n';
        b[--at] = '\r';
        int v = n;
        do {
            b[--at] = (byte) ('0' + v % 10);
            v /= 10;
        } while (v > 0);
        at -= HEADER_NAME.length;
        System.arraycopy(HEADER_NAME, 0, b, at, HEADER_NAME.length);
        return at;
    }
}
