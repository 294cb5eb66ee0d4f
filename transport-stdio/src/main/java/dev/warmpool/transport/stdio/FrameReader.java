package dev.warmpool.transport.stdio;

import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * Reads frames from a byte stream, one frame per call. Get one from
 * {@link Framing#reader(java.io.InputStream, int)}.
 *
 * <p>Not thread-safe: one thread at a time reads (threads may take turns when they hand over safely). Blocks until a whole frame has arrived.
 */
public interface FrameReader {
    /**
     * Reads the next frame.
     *
     * @return the next frame's bytes without terminator or header; {@code null} at a clean
     *     end-of-file between frames
     * @throws FrameTooLargeException when a frame exceeds the limit; the reader never buffers more
     *     than the limit (it gives up instead, so a runaway worker cannot exhaust memory), and its
     *     next call skips the rest of that frame
     * @throws TruncatedFrameException at end-of-file in the middle of a frame
     * @throws MalformedFrameException when a {@code Content-Length} header block is malformed
     * @throws IOException when the underlying stream fails
     */
    byte @Nullable [] read() throws IOException;

    /**
     * How many bytes this reader has taken from the stream but not yet returned in a frame: more
     * than zero means the next {@link #read()} may find a frame without reading the stream.
     * Together with the stream's {@link java.io.InputStream#available()} this tells whether output
     * is waiting, without blocking to find out. A thread that is not the one reading may call it,
     * as a hint.
     *
     * @return the bytes held; {@code 0} for a reader that cannot tell (the default)
     */
    default int buffered() {
        return 0;
    }
}
