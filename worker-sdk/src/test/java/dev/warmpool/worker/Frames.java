package dev.warmpool.worker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The pool's end of the framing, for tests: frames a message as the pool does, and cuts frames out of the server's output. */
final class Frames {
    private Frames() {
    }

    /** @return {@code body} framed for the server: a line, or a Content-Length header block and the body */
    static byte[] frame(Framing framing, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 32);
        if (framing == Framing.CONTENT_LENGTH) {
            out.writeBytes(("Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(body);
        } else {
            out.writeBytes(body);
            out.write('\n');
        }
        return out.toByteArray();
    }

    /** @return {@code json} framed for the server */
    static byte[] frame(Framing framing, String json) {
        return frame(framing, json.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads frames from the server's output with the server's own reader. */
    static final class Reader {
        private final FrameInput input;

        Reader(InputStream in, Framing framing) {
            input = new FrameInput(in, framing, 1 << 24);
        }

        /** @return the next frame, or {@code null} at the end of the output */
        byte[] next() throws IOException {
            return input.next()
                    ? Arrays.copyOfRange(input.buffer(), input.start(), input.start() + input.length()) : null;
        }

        /** @return every frame up to the end of the output, as text */
        List<String> all() throws IOException {
            List<String> frames = new ArrayList<>();
            byte[] f;
            while ((f = next()) != null) {
                frames.add(new String(f, StandardCharsets.UTF_8));
            }
            return frames;
        }
    }
}
