package dev.warmpool.worker.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The parser limits both sides share. */
class JsonRpcProtocolTest {
    private final ObjectMapper mapper = JsonRpcProtocol.newObjectMapper(1000);

    @Test
    void nestingDepthIsLimitedTo500() throws Exception {
        ObjectMapper big = JsonRpcProtocol.newObjectMapper(1 << 20);
        big.readTree("[".repeat(500) + "]".repeat(500));
        StreamConstraintsException e = assertThrows(StreamConstraintsException.class,
                () -> big.readTree("[".repeat(501) + "]".repeat(501)));
        assertTrue(e.getMessage().contains("500"), e.getMessage());
    }

    @Test
    void numbersAreLimitedTo1000Characters() throws Exception {
        ObjectMapper big = JsonRpcProtocol.newObjectMapper(1 << 20);
        big.readTree("[" + "7".repeat(1000) + "]");
        assertThrows(StreamConstraintsException.class, () -> big.readTree("[" + "7".repeat(1001) + "]"));
    }

    @Test
    void stringsAndDocumentsAreLimitedToTheFrameLimit() throws Exception {
        ObjectMapper large = JsonRpcProtocol.newObjectMapper(30_000_000);
        // longer than Jackson's default of 20 M characters, within the frame limit
        assertEquals(25_000_000, large.readTree("\"" + "s".repeat(25_000_000) + "\"").textValue().length());
        assertThrows(StreamConstraintsException.class, () -> mapper.readTree("\"" + "s".repeat(1001) + "\""));
    }

    @Test
    void trailingContentIsAnError() {
        assertThrows(Exception.class, () -> mapper.readTree("{} {}"));
    }

    @Test
    void constrainCopiesTheCallersMapperAndLeavesItAlone() throws Exception {
        ObjectMapper mine = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectMapper copy = JsonRpcProtocol.constrain(mine, 1 << 20);
        assertFalse(copy.writeValueAsString(Map.of("a", List.of(1))).contains("\n"));
        assertTrue(mine.writeValueAsString(Map.of("a", List.of(1))).contains("\n"));
        assertThrows(StreamConstraintsException.class, () -> copy.readTree("[".repeat(501) + "]".repeat(501)));
        mine.readTree("[".repeat(600) + "]".repeat(600)); // Jackson's own default (1000) still applies to it
    }

    @Test
    void frameLimitMustBePositive() {
        assertEquals("maxFrameBytes is 0, but must be positive",
                assertThrows(IllegalArgumentException.class, () -> JsonRpcProtocol.newObjectMapper(0)).getMessage());
    }
}
