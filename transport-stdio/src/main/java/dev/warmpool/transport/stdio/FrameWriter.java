package dev.warmpool.transport.stdio;

import java.io.IOException;

/**
 * Writes frames to a byte stream. Get one from {@link Framing#writer(java.io.OutputStream, int)}.
 *
 * <p>Thread-safe: each frame is written whole, so frames from several threads never interleave.
 * Blocks while the pipe is full.
 */
public interface FrameWriter {
    /**
     * Writes one frame (adding the {@code "\n"} or the {@code Content-Length} header) and flushes.
     *
     * @param frame the frame's bytes
     * @throws FrameTooLargeException if {@code frame.length} exceeds the limit; nothing is written
     * @throws IllegalArgumentException if newline framing is asked to write a frame that contains
     *     a {@code '\n'} byte; nothing is written
     * @throws IOException when the underlying stream fails (the worker closed its stdin or died)
     */
    void write(byte[] frame) throws IOException;
}
