package dev.warmpool.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The one payload every contender of the peers benchmark answers: an event for a handler. */
final class PeerPayload {
    /** The payload as JSON, as the drivers of the other runtimes get it. */
    static final String JSON = "{\"handler_name\":\"say-something-nice\",\"event\":{\"type\":\"user.joined\","
            + "\"actor\":\"zoe\",\"n\":42}}";
    /** The payload as the params of a pool request (and what the echo answers with). */
    static final Map<String, Object> PARAMS = Map.of("handler_name", "say-something-nice",
            "event", Map.of("type", "user.joined", "actor", "zoe", "n", 42));
    /** The method the warmpool workers answer with their params. */
    static final String METHOD = "echo";

    private PeerPayload() {
    }

    /** @return the JSON-RPC request line a pool would send as request {@code id} (no line end) */
    static byte[] requestLine(long id) {
        return ("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + METHOD + "\",\"params\":" + JSON + "}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
