package dev.warmpool.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every example of section 7 of the JSON-RPC 2.0 specification, fed to a {@link WorkerServer} with
 * the methods the examples assume, in both framings. Responses are compared as JSON trees; the
 * responses in a batch as a multiset, since the specification lets their order vary.
 *
 * <p>With newline framing each request is one line; with Content-Length framing it is sent as the
 * specification prints it, line breaks included.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class JsonRpcConformanceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> notified = new CopyOnWriteArrayList<>();

    private WorkerServer server(Framing framing) {
        return WorkerServer.builder()
                .name("spec")
                .framing(framing)
                .method("subtract", (params, ctx) -> params.isArray()
                        ? params.get(0).asInt() - params.get(1).asInt()
                        : params.get("minuend").asInt() - params.get("subtrahend").asInt())
                .method("sum", (params, ctx) -> {
                    int sum = 0;
                    for (JsonNode n : params) {
                        sum += n.asInt();
                    }
                    return sum;
                })
                .method("update", (params, ctx) -> {
                    notified.add("update " + params);
                    return null;
                })
                .method("notify_hello", (params, ctx) -> {
                    notified.add("notify_hello " + params);
                    return null;
                })
                .method("notify_sum", (params, ctx) -> {
                    notified.add("notify_sum " + params);
                    return null;
                })
                .method("get_data", (params, ctx) -> List.of("hello", 5))
                .build();
    }

    /** Sends each request as one frame and returns the frames that came back. */
    private List<String> exchange(Framing framing, String... requests) throws IOException {
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        for (String r : requests) {
            in.writeBytes(Frames.frame(framing, framing == Framing.NEWLINE ? r.replace("\n", " ") : r));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        server(framing).serve(new ByteArrayInputStream(in.toByteArray()), out);
        return new Frames.Reader(new ByteArrayInputStream(out.toByteArray()), framing).all();
    }

    private static JsonNode json(String s) throws IOException {
        return JSON.readTree(s);
    }

    private static void assertSingle(String expected, List<String> actual) throws IOException {
        assertEquals(1, actual.size(), "expected exactly one response, got " + actual);
        assertEquals(json(expected), json(actual.get(0)));
    }

    /** Compares two JSON arrays as multisets of elements. */
    private static void assertBatch(String expected, List<String> actual) throws IOException {
        assertEquals(1, actual.size(), "expected exactly one batch response, got " + actual);
        JsonNode got = json(actual.get(0));
        assertTrue(got.isArray(), "expected an array, got " + got);
        Map<JsonNode, Integer> want = new HashMap<>();
        json(expected).forEach(n -> want.merge(n, 1, Integer::sum));
        Map<JsonNode, Integer> have = new HashMap<>();
        got.forEach(n -> have.merge(n, 1, Integer::sum));
        assertEquals(want, have);
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void positionalParameters(Framing f) throws IOException {
        assertSingle("{\"jsonrpc\": \"2.0\", \"result\": 19, \"id\": 1}",
                exchange(f, "{\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": [42, 23], \"id\": 1}"));
        assertSingle("{\"jsonrpc\": \"2.0\", \"result\": -19, \"id\": 2}",
                exchange(f, "{\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": [23, 42], \"id\": 2}"));
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void namedParameters(Framing f) throws IOException {
        assertSingle("{\"jsonrpc\": \"2.0\", \"result\": 19, \"id\": 3}", exchange(f,
                "{\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": {\"subtrahend\": 23, \"minuend\": 42}, \"id\": 3}"));
        assertSingle("{\"jsonrpc\": \"2.0\", \"result\": 19, \"id\": 4}", exchange(f,
                "{\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": {\"minuend\": 42, \"subtrahend\": 23}, \"id\": 4}"));
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void notificationsAreNeverAnswered(Framing f) throws IOException {
        assertEquals(List.of(), exchange(f,
                "{\"jsonrpc\": \"2.0\", \"method\": \"update\", \"params\": [1,2,3,4,5]}",
                "{\"jsonrpc\": \"2.0\", \"method\": \"foobar\"}"));
        assertEquals(List.of("update [1,2,3,4,5]"), notified);
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void nonExistentMethod(Framing f) throws IOException {
        assertSingle("{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32601, \"message\": \"Method not found\"}, \"id\": \"1\"}",
                exchange(f, "{\"jsonrpc\": \"2.0\", \"method\": \"foobar\", \"id\": \"1\"}"));
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void invalidJson(Framing f) throws IOException {
        assertSingle("{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32700, \"message\": \"Parse error\"}, \"id\": null}",
                exchange(f, "{\"jsonrpc\": \"2.0\", \"method\": \"foobar, \"params\": \"bar\", \"baz]"));
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void invalidRequestObject(Framing f) throws IOException {
        assertSingle("{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32600, \"message\": \"Invalid Request\"}, \"id\": null}",
                exchange(f, "{\"jsonrpc\": \"2.0\", \"method\": 1, \"params\": \"bar\"}"));
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void batchWithInvalidJson(Framing f) throws IOException {
        assertSingle("{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32700, \"message\": \"Parse error\"}, \"id\": null}",
                exchange(f, """
                        [
                          {"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},
                          {"jsonrpc": "2.0", "method"
                        ]"""));
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void emptyArray(Framing f) throws IOException {
        assertSingle("{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32600, \"message\": \"Invalid Request\"}, \"id\": null}",
                exchange(f, "[]"));
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void invalidBatchButNotEmpty(Framing f) throws IOException {
        assertBatch("[{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32600, \"message\": \"Invalid Request\"}, \"id\": null}]",
                exchange(f, "[1]"));
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void invalidBatch(Framing f) throws IOException {
        String invalid = "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32600, \"message\": \"Invalid Request\"}, \"id\": null}";
        assertBatch("[" + invalid + "," + invalid + "," + invalid + "]", exchange(f, "[1,2,3]"));
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void mixedBatch(Framing f) throws IOException {
        assertBatch("""
                [
                    {"jsonrpc": "2.0", "result": 7, "id": "1"},
                    {"jsonrpc": "2.0", "result": 19, "id": "2"},
                    {"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null},
                    {"jsonrpc": "2.0", "error": {"code": -32601, "message": "Method not found"}, "id": "5"},
                    {"jsonrpc": "2.0", "result": ["hello", 5], "id": "9"}
                ]""", exchange(f, """
                [
                    {"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},
                    {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]},
                    {"jsonrpc": "2.0", "method": "subtract", "params": [42,23], "id": "2"},
                    {"foo": "boo"},
                    {"jsonrpc": "2.0", "method": "foo.get", "params": {"name": "myself"}, "id": "5"},
                    {"jsonrpc": "2.0", "method": "get_data", "id": "9"}
                ]"""));
        assertEquals(List.of("notify_hello [7]"), notified);
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void allNotificationBatchGetsNothingAtAll(Framing f) throws IOException {
        assertEquals(List.of(), exchange(f, """
                [
                    {"jsonrpc": "2.0", "method": "notify_sum", "params": [1,2,4]},
                    {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]}
                ]"""));
        assertEquals(2, notified.size());
        assertTrue(notified.containsAll(List.of("notify_sum [1,2,4]", "notify_hello [7]")), notified.toString());
    }
}
