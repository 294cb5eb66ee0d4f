package dev.warmpool.transport.stdio;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongSupplier;

/**
 * The worker's stdout as the reader thread reads it, remembering for the latest bulk read how many
 * frames had been sent when it returned. A frame reader fills its buffer only when no whole frame
 * is left in it, so the frame it returns ends in the latest read: if that read returned before
 * frame N was sent, the frame was printed before the worker could have seen frame N.
 *
 * <p>Read by one thread; {@link #stamp()} is read by that thread too.
 */
final class StampedInput extends InputStream {
    private final InputStream in;
    private final LongSupplier sent;
    private final Runnable moved;
    private long stamp;

    /**
     * @param sent how many frames have been sent so far
     * @param moved runs after every read that returned bytes
     */
    StampedInput(InputStream in, LongSupplier sent, Runnable moved) {
        this.in = in;
        this.sent = sent;
        this.moved = moved;
    }

    /** @return how many frames had been sent when the latest read returned */
    long stamp() {
        return stamp;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            arrived();
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            arrived();
        }
        return n;
    }

    private void arrived() {
        stamp = sent.getAsLong();
        moved.run();
    }

    @Override
    public int available() throws IOException {
        return in.available();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
