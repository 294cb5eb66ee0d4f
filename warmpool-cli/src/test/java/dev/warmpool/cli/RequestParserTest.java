package dev.warmpool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warmpool.cli.RequestParser.Bad;
import dev.warmpool.cli.RequestParser.Call;
import dev.warmpool.cli.RequestParser.Skip;
import org.junit.jupiter.api.Test;

/** How {@code run} reads its input lines. */
class RequestParserTest {
    private final RequestParser json = new RequestParser(Json.mapper(), false, true, false, null);
    private final RequestParser jsonWithMethod = new RequestParser(Json.mapper(), false, true, false, "echo");
    private final RequestParser claude = new RequestParser(Json.mapper(), false, false, false, null);
    private final RequestParser text = new RequestParser(Json.mapper(), true, false, false, null);
    private final RequestParser raw = new RequestParser(Json.mapper(), true, false, true, null);

    @Test
    void jsonRequestKeepsItsIdAndParams() {
        Call c = assertInstanceOf(Call.class, json.parse("{\"id\":\"a\",\"method\":\"m\",\"params\":{\"x\":1.50}}", 7));
        assertEquals("a", c.id().textValue());
        assertEquals("m", c.method());
        assertEquals("{\"x\":1.50}", c.params().toString(), "decimals stay as written");
    }

    @Test
    void missingIdIsTheLineNumberAndMissingMethodIsTheDefault() {
        Call c = assertInstanceOf(Call.class, jsonWithMethod.parse("{\"params\":[1]}", 12));
        assertEquals(12, c.id().asLong());
        assertEquals("echo", c.method());
        Bad b = assertInstanceOf(Bad.class, json.parse("{\"params\":[1]}", 3));
        assertTrue(b.message().contains("names no method"), b.message());
    }

    @Test
    void badJsonLinesSayWhy() {
        assertBad(json.parse("nope", 2), 2, "line 2 is not valid JSON");
        assertBad(json.parse("{\"id\":1} trailing", 2), 2, "not valid JSON");
        assertBad(json.parse("\"text\"", 4), 4, "is a JSON string, but a request is an object");
        assertBad(json.parse("{\"id\":{},\"method\":\"m\"}", 5), 5, "\"id\" is a JSON object");
        assertBad(json.parse("{\"id\":9,\"method\":\"\"}", 6), 9, "\"method\" must be a non-empty string");
        assertBad(json.parse("{\"id\":9,\"method\":\"m\",\"params\":3}", 7), 9, "takes an object or an array");
        assertBad(json.parse("{\"id\":9,\"method\":\"m\",\"extra\":3}", 8), 9, "unknown member \"extra\"");
        assertInstanceOf(Skip.class, json.parse("   ", 9));
    }

    @Test
    void lineTransportPayloads() {
        assertEquals("plain text", ((Call) text.parse("plain text", 1)).params());
        assertEquals("quoted", ((Call) text.parse("\"quoted\"", 1)).params());
        assertEquals("\"half quoted", ((Call) text.parse("\"half quoted", 1)).params());
        assertEquals("", ((Call) text.parse("", 1)).params());
        Call c = assertInstanceOf(Call.class, text.parse("{\"id\":5,\"params\":{\"a\":1}}", 1));
        assertEquals("{\"a\":1}", c.params());
        assertEquals(5, c.id().asInt());
        assertBad(text.parse("{not json", 3), 3, "starts with '{' but is not valid JSON");
        assertBad(text.parse("\"two\\nlines\"", 4), 4, "holds a line break");
        assertEquals("{not json", ((Call) raw.parse("{not json", 3)).params());
    }

    private static void assertBad(RequestParser.Parsed p, long id, String message) {
        Bad b = assertInstanceOf(Bad.class, p);
        JsonNode got = b.id();
        assertEquals(id, got.asLong(), b.toString());
        assertTrue(b.message().contains(message), b.message());
    }

    @Test
    void nullIdIsTheLineNumber() {
        Call c = (Call) json.parse("{\"id\":null,\"method\":\"m\"}", 4);
        assertEquals(4, c.id().asInt());
        assertNull(c.params());
    }

    @Test
    void loneSurrogatesAnywhereInALineAreBadInputNotQuestionMarks() {
        assertBad(json.parse("{\"id\":1,\"method\":\"m\",\"params\":{\"t\":\"a\\ud800b\"}}", 2), 2,
                "holds a lone UTF-16 surrogate (\\ud800 at index 1)");
        assertBad(json.parse("{\"id\":1,\"method\":\"m\",\"params\":[[\"\\udc00\"]]}", 3), 3, "lone UTF-16 surrogate");
        assertBad(json.parse("{\"id\":1,\"method\":\"m\",\"params\":{\"\\ud800\":1}}", 4), 4, "lone UTF-16 surrogate");
        assertBad(text.parse("\"\\ud83d\"", 5), 5, "lone UTF-16 surrogate");
        assertBad(text.parse("{\"params\":\"x\\udfff\"}", 6), 6, "lone UTF-16 surrogate");
        Call pair = assertInstanceOf(Call.class, json.parse("{\"id\":1,\"method\":\"m\",\"params\":[\"\\ud83d\\ude00\"]}", 7));
        assertEquals("\ud83d\ude00", pair.params() instanceof JsonNode n ? n.get(0).textValue() : null, "a pair is a character");
        assertEquals(-1, RequestParser.loneSurrogateAt("plain \ud83d\ude00 text"));
        assertEquals(0, RequestParser.loneSurrogateAt("\ude00\ud83d"));
    }

    @Test
    void onlyJsonRpcRestrictsParamsToObjectsAndArrays() {
        assertBad(json.parse("{\"id\":1,\"method\":\"prompt\",\"params\":\"hi\"}", 1), 1, "takes an object or an array");
        Call c = assertInstanceOf(Call.class, claude.parse("{\"id\":1,\"method\":\"prompt\",\"params\":\"hi\"}", 1));
        assertEquals("hi", ((JsonNode) c.params()).textValue());
    }
}
