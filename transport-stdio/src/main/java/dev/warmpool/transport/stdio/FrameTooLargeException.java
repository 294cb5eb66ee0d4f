package dev.warmpool.transport.stdio;

import java.io.IOException;
import java.io.Serial;

/**
 * A frame is larger than the configured limit ({@code maxFrameBytes}). Thrown by a
 * {@link FrameReader} as soon as the limit is passed, without buffering the rest of the frame, and
 * by a {@link FrameWriter} before anything of the frame is written.
 *
 * <p>After a reader throws it, the reader's next {@link FrameReader#read()} skips the rest of the
 * oversize frame (reading and discarding, never buffering it) and goes on with the next one.
 */
public final class FrameTooLargeException extends IOException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The bytes seen so far, or the frame's exact or declared size. */
    private final long size;
    /** The limit that was exceeded. */
    private final int limit;

    /**
     * For a frame whose full size is not known: the reader stopped after {@code size} bytes.
     *
     * @param size the bytes seen so far when the reader gave up (more than {@code limit})
     * @param limit the limit, {@code maxFrameBytes}
     */
    public FrameTooLargeException(long size, int limit) {
        this("frame of at least " + size + " bytes", size, limit);
    }

    /**
     * @param what the frame, e.g. "frame of 20000000 bytes (declared by Content-Length)"
     * @param size the frame's size, or the bytes seen so far
     * @param limit the limit, {@code maxFrameBytes}
     */
    FrameTooLargeException(String what, long size, int limit) {
        super(what + " exceeds the limit of " + limit + " bytes (maxFrameBytes)");
        this.size = size;
        this.limit = limit;
    }

    /**
     * {@return the size that was too large, in bytes: the bytes seen so far when the reader gave up, or the
     *     frame's exact or declared size}
     */
    public long size() {
        return size;
    }

    /** {@return the limit that was exceeded, {@code maxFrameBytes}, in bytes} */
    public int limit() {
        return limit;
    }
}
