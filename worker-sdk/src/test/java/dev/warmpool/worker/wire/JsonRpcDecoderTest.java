package dev.warmpool.worker.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.warmpool.worker.wire.JsonRpcMessage.Kind;
import dev.warmpool.worker.wire.JsonRpcMessage.Problem;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One streaming pass over a frame: what the message is, what is wrong with it, and its members as sent. */
class JsonRpcDecoderTest {
    private final ObjectMapper mapper = JsonRpcProtocol.newObjectMapper(1 << 20);
    private final JsonRpcDecoder decoder = new JsonRpcDecoder(mapper);
    private final JsonRpcMessage m = new JsonRpcMessage();

    private JsonRpcMessage decode(String frame) throws IOException {
        decoder.decode(frame.getBytes(StandardCharsets.UTF_8), m, ResultBinding.NONE);
        return m;
    }

    @Test
    void requestsAndNotificationsKeepTheirIdsExactlyAsSent() throws IOException {
        decode("{\"jsonrpc\":\"2.0\",\"id\":\"1\",\"method\":\"echo\",\"params\":[1]}");
        assertEquals(Kind.REQUEST, m.kind());
        assertEquals(TextNode.valueOf("1"), m.id());
        assertFalse(m.idIsLong());
        assertEquals("echo", m.method());
        assertEquals(mapper.readTree("[1]"), m.params());

        decode("{\"params\":{},\"method\":\"m\",\"id\":12345678901234,\"jsonrpc\":\"2.0\"}");
        assertEquals(Kind.REQUEST, m.kind());
        assertEquals(LongNode.valueOf(12345678901234L), m.id());
        assertTrue(m.idIsLong());
        assertEquals(12345678901234L, m.longId());

        decode("{\"jsonrpc\":\"2.0\",\"id\":123456789012345678901234,\"method\":\"m\"}");
        assertEquals(new BigInteger("123456789012345678901234"), m.id().bigIntegerValue());
        assertFalse(m.idIsLong());

        decode("{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"m\"}");
        assertEquals(Kind.REQUEST, m.kind());
        assertEquals(NullNode.getInstance(), m.id());

        decode("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"extra\":{\"ignored\":[1]}}");
        assertEquals(Kind.NOTIFICATION, m.kind());
        assertTrue(m.id().isMissingNode());
        assertTrue(m.params().isMissingNode());
    }

    @Test
    void invalidMessagesSayWhatIsWrong() throws IOException {
        assertEquals(Problem.NOT_AN_OBJECT, decode("\"just a string\"").problem());
        assertEquals(Problem.NO_VERSION, decode("{\"level\":\"info\",\"msg\":\"a log line\"}").problem());
        assertEquals(Problem.WRONG_VERSION, decode("{\"jsonrpc\":\"1.0\",\"id\":1,\"result\":1}").problem());
        assertEquals("a message with jsonrpc \"1.0\" instead of \"2.0\"", m.describeProblem());
        assertEquals(Problem.WRONG_VERSION, decode("{\"jsonrpc\":2.0,\"id\":1,\"result\":1}").problem());
        assertEquals(Problem.METHOD_NOT_A_STRING, decode("{\"jsonrpc\":\"2.0\",\"method\":1,\"params\":\"bar\"}").problem());
        assertEquals(Problem.PARAMS_NOT_STRUCTURED, decode("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":\"s\"}").problem());
        assertEquals(Problem.ID_NOT_A_SCALAR, decode("{\"jsonrpc\":\"2.0\",\"id\":{\"no\":1},\"method\":\"m\"}").problem());
        assertEquals(Problem.RESULT_AND_ERROR, decode("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":1,\"error\":{}}").problem());
        assertEquals("a response with both result and error", m.describeProblem());
        assertEquals(Problem.NOTHING_TO_DO, decode("{\"jsonrpc\":\"2.0\",\"id\":1}").problem());
        assertEquals(Kind.INVALID, m.kind());
    }

    @Test
    void responsesBlanksAndBatches() throws IOException {
        decode("{\"jsonrpc\":\"2.0\",\"id\":3,\"error\":{\"code\":-32000,\"message\":\"busy\"}}");
        assertEquals(Kind.ERROR, m.kind());
        assertEquals(-32000, m.error().get("code").asInt());
        decode("{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{\"a\":[1,null]}}");
        assertEquals(Kind.RESULT, m.kind());
        assertEquals(mapper.readTree("{\"a\":[1,null]}"), m.result());
        assertFalse(m.resultBound());
        assertEquals(Kind.EMPTY, decode("  \t ").kind());
        decode("[{\"jsonrpc\":\"2.0\",\"method\":\"a\"}, 1]");
        assertEquals(Kind.BATCH, m.kind());
        assertEquals(2, m.batch().size());
        JsonRpcMessage element = new JsonRpcMessage();
        decoder.decode(m.batch().get(0), element, ResultBinding.NONE);
        assertEquals(Kind.NOTIFICATION, element.kind());
        decoder.decode(m.batch().get(1), element, ResultBinding.NONE);
        assertEquals(Problem.NOT_AN_OBJECT, element.problem());
        assertThrows(IllegalStateException.class, () -> decode("{\"jsonrpc\":\"2.0\",\"method\":\"a\"}").batch());
    }

    @Test
    void aFrameThatIsNotOneJsonValueFailsToDecode() {
        assertThrows(JsonProcessingException.class, () -> decode("{\"jsonrpc\": \"2.0\", \"method\": \"foobar, \"params\": \"bar\", \"baz]"));
        JsonProcessingException trailing = assertThrows(JsonProcessingException.class,
                () -> decode("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":1} {\"more\":2}"));
        assertTrue(trailing.getOriginalMessage().startsWith("a frame holds one JSON value, but START_OBJECT follows"),
                trailing.getOriginalMessage());
        assertThrows(StreamConstraintsException.class,
                () -> decode("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":" + "[".repeat(501) + "]".repeat(501) + "}"));
    }

    @Test
    void aResultAfterItsIdIsBoundStraightIntoTheCallersType() throws IOException {
        ObjectReader ints = mapper.readerFor(Integer.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        List<Object> bound = new ArrayList<>();
        ResultBinding binding = (id, parser) -> {
            if (id != 5) {
                return false;
            }
            bound.add(ints.readValue(parser));
            return true;
        };
        decoder.decode("{\"jsonrpc\":\"2.0\",\"id\":5,\"result\":42,\"after\":true}".getBytes(StandardCharsets.UTF_8), m, binding);
        assertEquals(Kind.RESULT, m.kind());
        assertTrue(m.resultBound());
        assertTrue(m.result().isMissingNode());
        assertEquals(List.of(42), bound);

        // the id after the result, or an id the binding does not want: a tree
        decoder.decode("{\"jsonrpc\":\"2.0\",\"result\":43,\"id\":5}".getBytes(StandardCharsets.UTF_8), m, binding);
        assertFalse(m.resultBound());
        assertEquals(IntNode.valueOf(43), m.result());
        decoder.decode("{\"jsonrpc\":\"2.0\",\"id\":6,\"result\":44}".getBytes(StandardCharsets.UTF_8), m, binding);
        assertFalse(m.resultBound());
        assertEquals(List.of(42), bound);
    }

    @Test
    void aResultThatDoesNotBindIsReadAgainAsATree() throws IOException {
        ObjectReader ints = mapper.readerFor(Integer.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        ResultBinding binding = (id, parser) -> {
            ints.readValue(parser);
            return true;
        };
        decoder.decode("{\"jsonrpc\":\"2.0\",\"id\":5,\"result\":{\"not\":\"a number\"}}".getBytes(StandardCharsets.UTF_8),
                m, binding);
        assertEquals(Kind.RESULT, m.kind());
        assertFalse(m.resultBound());
        assertEquals(mapper.valueToTree(Map.of("not", "a number")), m.result());
        // and malformed JSON in the result is still malformed
        assertThrows(JsonProcessingException.class, () -> decoder.decode(
                "{\"jsonrpc\":\"2.0\",\"id\":5,\"result\":[1,2}".getBytes(StandardCharsets.UTF_8), m, binding));
    }

    @Test
    void aReusedMessageKeepsNothingOfTheLastFrame() throws IOException {
        decode("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":[1]}");
        decode("{\"jsonrpc\":\"2.0\",\"method\":\"n\"}");
        assertEquals(Kind.NOTIFICATION, m.kind());
        assertTrue(m.id().isMissingNode());
        assertTrue(m.params().isMissingNode());
        assertEquals("n", m.method());
    }
}
