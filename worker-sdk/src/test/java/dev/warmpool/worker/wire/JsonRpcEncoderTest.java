package dev.warmpool.worker.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every envelope either end writes, byte for byte. */
class JsonRpcEncoderTest {
    private final JsonRpcEncoder encoder = new JsonRpcEncoder(JsonRpcProtocol.newObjectMapper(1 << 20));

    private static String text(JsonRpcEncoder e) {
        return new String(e.buffer(), e.offset(), e.length(), StandardCharsets.UTF_8);
    }

    @Test
    void thePoolsEnvelopes() throws IOException {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("text", "hi");
        params.put("n", 2);
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"echo\",\"params\":{\"text\":\"hi\",\"n\":2}}",
                text(encoder.request(7, "echo", params)));
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"$/ping\"}", text(encoder.request(8, JsonRpcProtocol.PING, null)));
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$/initialize\",\"params\":{\"protocolVersion\":1,\"workerId\":\"w-1\"}}",
                text(encoder.initialize(1, "w-1")));
        assertEquals("{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{\"id\":7}}", text(encoder.cancelRequest(7)));
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":\"w1\",\"error\":{\"code\":-32601,\"message\":\"Method not found\"}}",
                encoder.error(TextNode.valueOf("w1"), JsonRpcProtocol.METHOD_NOT_FOUND, "Method not found").toString());
    }

    @Test
    void theWorkersEnvelopes() throws IOException {
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":\"1\",\"result\":[1,\"x\"]}",
                text(encoder.result(TextNode.valueOf("1"), List.of(1, "x"))));
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":null,\"result\":null}", text(encoder.result(NullNode.getInstance(), null)));
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{\"protocolVersion\":1,\"capabilities\":{\"cancel\":true,"
                + "\"ping\":true},\"name\":\"echo\"}}", text(encoder.initializeResult(IntNode.valueOf(3), "echo")));
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,\"message\":\"Invalid Request\","
                + "\"data\":{\"size\":9}}}", text(encoder.error(NullNode.getInstance(), JsonRpcProtocol.INVALID_REQUEST,
                "Invalid Request", Map.of("size", 9))));
        assertEquals("{\"jsonrpc\":\"2.0\",\"method\":\"$/progress\",\"params\":{\"id\":4,\"value\":0.5}}",
                text(encoder.progress(IntNode.valueOf(4), 0.5)));
        assertEquals("{\"jsonrpc\":\"2.0\",\"method\":\"$/progress\",\"params\":{\"value\":1}}",
                text(encoder.progress(MissingNode.getInstance(), 1)));
        assertEquals("{\"jsonrpc\":\"2.0\",\"method\":\"$/log\",\"params\":{\"id\":4,\"level\":\"warn\",\"message\":\"m\"}}",
                text(encoder.log(IntNode.valueOf(4), "warn", "m")));
        assertEquals("{\"jsonrpc\":\"2.0\",\"method\":\"custom\",\"params\":[true]}",
                text(encoder.notification("custom", List.of(true))));
    }

    @Test
    void envelopesFollowEachOtherInOneBufferWithHeadroomAndASpareByte() throws IOException {
        byte[] first = encoder.result(IntNode.valueOf(1), "a").buffer();
        encoder.result(IntNode.valueOf(2), "b");
        assertSame(first, encoder.buffer(), "a small envelope reuses the buffer");
        assertEquals(JsonRpcEncoder.HEADROOM, encoder.offset());
        assertTrue(encoder.buffer().length > encoder.offset() + encoder.length());
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":\"b\"}", text(encoder));
    }

    @Test
    void aBufferGrownForALargeEnvelopeIsDroppedAfterIt() throws IOException {
        String big = "x".repeat(2 * JsonRpcEncoder.KEEP_BYTES);
        assertEquals(big.length() + "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"\"}".length(), encoder.result(IntNode.valueOf(1), big).length());
        encoder.result(IntNode.valueOf(2), "small");
        assertTrue(encoder.buffer().length < JsonRpcEncoder.KEEP_BYTES, "kept " + encoder.buffer().length);
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":\"small\"}", text(encoder));
    }

    @Test
    void aValueThatCannotBeWrittenLeavesTheEncoderReadyForTheNext() throws IOException {
        ObjectMapper mapper = JsonRpcProtocol.newObjectMapper(1 << 20).registerModule(new SimpleModule()
                .addSerializer(Broken.class, new JsonSerializer<>() {
                    @Override
                    public void serialize(Broken value, JsonGenerator g, SerializerProvider p) throws IOException {
                        g.writeStartObject();
                        g.writeStringField("half", "written");
                        throw new IOException("cannot write a Broken");
                    }
                }));
        JsonRpcEncoder e = new JsonRpcEncoder(mapper);
        IOException failure = assertThrows(IOException.class, () -> e.result(IntNode.valueOf(1), List.of(new Broken())));
        assertTrue(failure.getMessage().contains("cannot write a Broken"), failure.getMessage());
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":\"fine\"}", text(e.result(IntNode.valueOf(2), "fine")));
        assertThrows(JsonMappingException.class, () -> e.request(3, "m", Map.of("x", new Object())));
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"m\"}", text(e.request(4, "m", null)));
    }

    /** Fails half-way through being written. */
    private static final class Broken {
    }

    @Test
    void aReleasingEncoderWritesTheSameEnvelopes() throws IOException {
        JsonRpcEncoder releasing = JsonRpcEncoder.releasing(JsonRpcProtocol.newObjectMapper(1 << 20));
        for (int i = 0; i < 3; i++) {
            assertEquals(text(encoder.request(i, "echo", Map.of("n", i))), text(releasing.request(i, "echo", Map.of("n", i))));
            assertEquals(text(encoder.cancelRequest(i)), text(releasing.cancelRequest(i)));
        }
        assertThrows(JsonMappingException.class, () -> releasing.request(9, "m", Map.of("x", new Object())));
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":10,\"method\":\"m\"}", text(releasing.request(10, "m", null)));
    }

    @Test
    void aBatchResponseIsTheResponsesInOneArray() throws IOException {
        byte[] one = encoder.result(IntNode.valueOf(1), 1).toByteArray();
        byte[] two = encoder.error(IntNode.valueOf(2), -32601, "Method not found").toByteArray();
        assertEquals("[{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":1},{\"jsonrpc\":\"2.0\",\"id\":2,\"error\":{\"code\":-32601,"
                + "\"message\":\"Method not found\"}}]", text(encoder.batch(List.of(one, two))));
        assertEquals("a batch response holds at least one response, but there are none",
                assertThrows(IllegalArgumentException.class, () -> encoder.batch(List.of())).getMessage());
    }
}
