package dev.warmpool.transport.stdio;

import java.io.IOException;
import java.io.Serial;

/**
 * The stream ended in the middle of a frame: a line without its newline, a header block without
 * its blank line, or fewer body bytes than {@code Content-Length} announced. Usually the worker
 * died while it wrote.
 */
public final class TruncatedFrameException extends IOException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The bytes of the unfinished frame that did arrive. */
    private final long received;

    /**
     * Creates the exception for a stream that ended inside a frame.
     *
     * @param message what was missing, e.g. "stream ended after 12 of 40 bytes of a frame body"
     * @param received the bytes of the unfinished frame that did arrive
     */
    public TruncatedFrameException(String message, long received) {
        super(message);
        this.received = received;
    }

    /** {@return the number of bytes of the unfinished frame that did arrive} */
    public long received() {
        return received;
    }
}
