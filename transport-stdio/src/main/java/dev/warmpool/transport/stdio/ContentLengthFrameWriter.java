package dev.warmpool.transport.stdio;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Content-Length framing: writes {@code Content-Length: N\r\n\r\n}, the frame, then flushes. */
final class ContentLengthFrameWriter implements FrameWriter {
    private final OutputStream out;
    private final int max;

    ContentLengthFrameWriter(OutputStream out, int max) {
        this.out = out;
        this.max = max;
    }

    @Override
    public void write(byte[] frame) throws IOException {
        if (frame.length > max) {
            throw new FrameTooLargeException("frame of " + frame.length + " bytes", frame.length, max);
        }
        byte[] head = ("Content-Length: " + frame.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        synchronized (this) {
            out.write(head);
            out.write(frame);
            out.flush();
        }
    }
}
