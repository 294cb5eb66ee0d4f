package dev.warmpool.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.IntNode;
import dev.warmpool.worker.wire.JsonRpcEncoder;
import dev.warmpool.worker.wire.JsonRpcProtocol;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Putting encoded envelopes on stdout as whole frames, in one write each. */
class FrameOutputTest {
    private final JsonRpcEncoder encoder = new JsonRpcEncoder(JsonRpcProtocol.newObjectMapper(1 << 20));

    /** Counts the writes, to check that a frame goes out in one. */
    private static final class Recording extends ByteArrayOutputStream {
        int writes;

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            writes++;
            super.write(b, off, len);
        }
    }

    @Test
    void newlineFramesAreTheEnvelopeAndANewlineInOneWrite() throws IOException {
        Recording out = new Recording();
        FrameOutput frames = new FrameOutput(out, Framing.NEWLINE);
        frames.write(encoder.result(IntNode.valueOf(1), List.of("a\nb")));
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":[\"a\\nb\"]}\n", out.toString(StandardCharsets.UTF_8));
        assertEquals(1, out.writes);
    }

    @Test
    void contentLengthFramesCarryTheHeaderInFrontInOneWrite() throws IOException {
        Recording out = new Recording();
        FrameOutput frames = new FrameOutput(out, Framing.CONTENT_LENGTH);
        frames.write(encoder.result(IntNode.valueOf(7), "x".repeat(1234)));
        String body = "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":\"" + "x".repeat(1234) + "\"}";
        assertEquals("Content-Length: " + body.length() + "\r\n\r\n" + body, out.toString(StandardCharsets.UTF_8));
        assertEquals(1, out.writes);
    }

    @Test
    void newlineFramingRefusesARawNewlineAndWritesNothing() throws IOException {
        ObjectMapper raw = JsonRpcProtocol.newObjectMapper(1 << 20).registerModule(new SimpleModule()
                .addSerializer(Lines.class, new JsonSerializer<>() {
                    @Override
                    public void serialize(Lines value, JsonGenerator g, SerializerProvider p) throws IOException {
                        g.writeRawValue("[1,\n2]");
                    }
                }));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new FrameOutput(out, Framing.NEWLINE)
                .write(new JsonRpcEncoder(raw).result(IntNode.valueOf(1), new Lines())));
        assertEquals("the message holds a raw newline at byte 36, which newline framing cannot carry", e.getMessage());
        assertEquals(0, out.size());
    }

    /** Written raw, with a line break, by the serializer above. */
    private static final class Lines {
    }

    @Test
    void afterStdoutFailsLaterFramesAreDroppedQuietly() throws IOException {
        int[] attempts = {0};
        OutputStream failing = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                attempts[0]++;
                throw new IOException("Broken pipe");
            }
        };
        FrameOutput frames = new FrameOutput(failing, Framing.NEWLINE);
        frames.write(encoder.result(IntNode.valueOf(1), 1));
        frames.write(encoder.result(IntNode.valueOf(2), 2));
        assertEquals(1, attempts[0]);
    }
}
