package dev.warmpool.transport.stdio;

import java.io.IOException;
import java.io.OutputStream;

/** Newline framing: writes the frame and a {@code "\n"}, then flushes. */
final class NewlineFrameWriter implements FrameWriter {
    private final OutputStream out;
    private final int max;

    NewlineFrameWriter(OutputStream out, int max) {
        this.out = out;
        this.max = max;
    }

    @Override
    public void write(byte[] frame) throws IOException {
        if (frame.length > max) {
            throw new FrameTooLargeException("frame of " + frame.length + " bytes", frame.length, max);
        }
        for (int i = 0; i < frame.length; i++) {
            if (frame[i] == '\n') {
                throw new IllegalArgumentException("frame contains a newline at byte " + i
                        + "; newline framing cannot carry it");
            }
        }
        synchronized (this) {
            out.write(frame);
            out.write('\n');
            out.flush();
        }
    }
}
