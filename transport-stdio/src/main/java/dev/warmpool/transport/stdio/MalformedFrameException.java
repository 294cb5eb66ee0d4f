package dev.warmpool.transport.stdio;

import java.io.IOException;
import java.io.Serial;

/**
 * A frame's header block is not what {@link Framing#CONTENT_LENGTH} framing requires: a header
 * line without a colon, a missing, negative, non-numeric or contradictory {@code Content-Length},
 * or a header block longer than {@value #MAX_HEADER_BYTES} bytes. The stream cannot be resynchronised
 * after this; the reader should be abandoned.
 */
public final class MalformedFrameException extends IOException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The longest header block accepted, in bytes. */
    public static final int MAX_HEADER_BYTES = 8192;

    /**
     * Creates the exception for a header block that cannot be read.
     *
     * @param message what is wrong, quoting the offending header
     */
    public MalformedFrameException(String message) {
        super(message);
    }
}
