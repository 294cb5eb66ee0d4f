package dev.warmpool.transport.claude;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Reads lines recorded from the real CLI (Claude Code 2.1.197 against a fake Messages API; see
 * {@code src/test/resources/samples}): {@code turns.jsonl} is initialize, mcp_status, a turn,
 * {@code /clear} and an unknown command; {@code errors.jsonl} is a 529 and a 500 after one retry each,
 * then a turn interrupted mid-request.
 */
class StreamJsonTest {
    static List<String> sample(String name) throws IOException {
        try (InputStream in = StreamJsonTest.class.getResourceAsStream("/samples/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    static JsonNode line(String sample, int number) throws IOException {
        return StreamJson.parse(sample(sample).get(number - 1).getBytes(StandardCharsets.UTF_8)).orElseThrow();
    }

    @Test
    void everyRecordedLineIsAJsonObjectWithAType() throws IOException {
        for (String name : List.of("turns.jsonl", "errors.jsonl")) {
            for (String l : sample(name)) {
                JsonNode m = StreamJson.parse(l.getBytes(StandardCharsets.UTF_8)).orElseThrow();
                assertFalse(StreamJson.type(m).isEmpty(), l);
            }
        }
    }

    @Test
    void aSuccessfulTurn() throws IOException {
        JsonNode m = line("turns.jsonl", 5);

        StreamJson.Turn t = StreamJson.result(m, 0);

        assertEquals("result", StreamJson.type(m));
        assertFalse(t.failed());
        assertEquals(new ClaudeResult(true, "fake answer 42", false, "success", m.path("duration_ms").asLong(),
                0.000175, "e9b0cd3c-9c56-42f5-b313-eaa87c8ca7de"), t.result());
        assertEquals(1, t.numTurns());
        assertFalse(t.isUnknownCommand());
    }

    @Test
    void theCostIsTheDifferenceToTheProcesssRunningTotal() throws IOException {
        JsonNode m = StreamJson.parse(("{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false,"
                + "\"result\":\"x\",\"total_cost_usd\":0.0005,\"session_id\":\"s\"}").getBytes(StandardCharsets.UTF_8))
                .orElseThrow();

        StreamJson.Turn t = StreamJson.result(m, 0.0002);

        assertEquals(0.0003, t.result().totalCostUsd(), 1e-12);
        assertEquals(0.0005, t.cumulativeCost(), 1e-12);
        // a total that went down is taken as the turn's own cost
        assertEquals(0.0005, StreamJson.result(m, 0.0009).result().totalCostUsd(), 1e-12);
    }

    @Test
    void theClearsResultIsASuccessWithoutAModelTurn() throws IOException {
        StreamJson.Turn t = StreamJson.result(line("turns.jsonl", 8), 0.000175);

        assertFalse(t.failed());
        assertEquals("", t.result().output());
        assertEquals(0, t.numTurns());
        assertEquals(0.0, t.result().totalCostUsd());
        assertFalse(t.isUnknownCommand());
        // /clear starts a new session
        assertFalse(t.result().sessionId().equals(line("turns.jsonl", 5).path("session_id").asText()));
    }

    @Test
    void anUnknownSlashCommandIsRecognisedByItsText() throws IOException {
        StreamJson.Turn t = StreamJson.result(line("turns.jsonl", 11), 0.000175);

        assertFalse(t.failed(), "the CLI reports it as a success");
        assertTrue(t.isUnknownCommand());
        assertEquals("Unknown command: /nosuch", t.result().output());
    }

    @Test
    void anApiErrorIsASuccessSubtypeWithIsErrorTrue() throws IOException {
        StreamJson.Turn overloaded = StreamJson.result(line("errors.jsonl", 4), 0);
        StreamJson.Turn server = StreamJson.result(line("errors.jsonl", 8), 0);

        for (StreamJson.Turn t : List.of(overloaded, server)) {
            assertTrue(t.failed());
            assertEquals("success", t.result().subtype());
            assertTrue(t.result().isError());
            assertFalse(t.result().success());
            assertEquals(t.result().output(), t.message());
        }
        assertTrue(overloaded.message().startsWith("API Error: 529"), overloaded.message());
        assertTrue(server.message().startsWith("API Error: 500"), server.message());
        assertEquals(500, server.raw().path("api_error_status").asInt());
    }

    @Test
    void anInterruptedTurnHasNoResultTextSoItsErrorsAreTheMessage() throws IOException {
        StreamJson.Turn t = StreamJson.result(line("errors.jsonl", 12), 0);

        assertTrue(t.failed());
        assertEquals("error_during_execution", t.result().subtype());
        assertEquals("", t.result().output());
        assertTrue(t.message().startsWith("[ede_diagnostic]"), t.message());
    }

    @Test
    void aResultWithNothingButItsTypeStillReads() {
        JsonNode m = StreamJson.parse("{\"type\":\"result\"}".getBytes(StandardCharsets.UTF_8)).orElseThrow();

        StreamJson.Turn t = StreamJson.result(m, 0);

        assertTrue(t.failed());
        assertEquals("the turn ended with subtype (none)", t.message());
        assertEquals("", t.result().sessionId());
    }

    @Test
    void controlResponsesCarryTheRequestId() throws IOException {
        JsonNode init = line("turns.jsonl", 1);
        JsonNode retry = line("errors.jsonl", 2);

        assertEquals("control_response", StreamJson.type(init));
        assertEquals("success", init.path("response").path("subtype").asText());
        assertFalse(init.path("response").path("request_id").asText().isEmpty());
        assertEquals("api_retry", StreamJson.subtype(retry));
    }

    @Test
    void notJsonOrNotAnObjectIsEmpty() {
        for (String s : List.of("garbage", "[1,2]", "\"text\"", "42", "{\"type\":", "")) {
            assertTrue(StreamJson.parse(s.getBytes(StandardCharsets.UTF_8)).isEmpty(), s);
        }
    }

    @Test
    void unknownFieldsAndTypesAreKeptAsPlainJava() {
        JsonNode m = StreamJson.parse("{\"type\":\"brand_new\",\"x\":[1,{\"y\":true}],\"z\":null}"
                .getBytes(StandardCharsets.UTF_8)).orElseThrow();

        assertEquals("brand_new", StreamJson.type(m));
        assertEquals(Map.of("type", "brand_new", "x", List.of(1, Map.of("y", true))),
                withoutNulls(StreamJson.toJava(m)));
    }

    @SuppressWarnings("unchecked")
    private static Object withoutNulls(Object o) {
        Map<String, Object> m = new java.util.LinkedHashMap<>((Map<String, Object>) o);
        m.values().removeIf(java.util.Objects::isNull);
        return m;
    }

    @Test
    void theLinesWrittenToTheCli() {
        assertEquals("{\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":[{\"type\":\"text\","
                        + "\"text\":\"/greet {\\\"a\\\":\\\"line\\\\nbreak\\\"}\"}]}}",
                new String(StreamJson.userMessage("/greet {\"a\":\"line\\nbreak\"}"), StandardCharsets.UTF_8));
        assertEquals("{\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":[{\"type\":\"text\","
                        + "\"text\":\"two\\nlines\"}]}}",
                new String(StreamJson.userMessage("two\nlines"), StandardCharsets.UTF_8));
        assertEquals("{\"type\":\"control_request\",\"request_id\":\"r-1\",\"request\":{\"subtype\":\"interrupt\"}}",
                new String(StreamJson.controlRequest("r-1", "interrupt"), StandardCharsets.UTF_8));
        assertEquals("{\"type\":\"control_response\",\"response\":{\"subtype\":\"error\",\"request_id\":\"q\","
                        + "\"error\":\"no\"}}",
                new String(StreamJson.controlError("q", "no"), StandardCharsets.UTF_8));
    }
}
