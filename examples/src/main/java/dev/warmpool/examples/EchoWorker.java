package dev.warmpool.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warmpool.worker.InvalidParamsException;
import dev.warmpool.worker.RequestContext;
import dev.warmpool.worker.WorkerServer;
import java.io.IOException;
import java.util.Locale;

/**
 * The Java example worker, written with the worker SDK: a {@code main} that serves three methods
 * over stdin and stdout until stdin ends.
 * <ul>
 *   <li>{@code echo}: any params → the same params;</li>
 *   <li>{@code upper}: {@code {"text": "abc"}} → {@code "ABC"};</li>
 *   <li>{@code slow}: {@code {"ms": 250}} → {@code {"sleptMs": 250}} after 250 ms, sending
 *       {@code $/progress} every 100 ms; a {@code $/cancelRequest} stops it at once.</li>
 * </ul>
 * Bad params are answered with -32602, unknown methods with -32601; the SDK answers the handshake,
 * {@code $/ping} and {@code $/cancelRequest} by itself (see docs/PROTOCOL.md). The Python and Node
 * example workers answer the same methods the same way.
 *
 * <p>Start it as {@code java -cp <class path> dev.warmpool.examples.EchoWorker}.
 */
public final class EchoWorker {
    private static final long PROGRESS_EVERY_MILLIS = 100;

    private EchoWorker() {
    }

    /**
     * Serves until stdin reaches end-of-file, then exits.
     *
     * @param args ignored
     * @throws IOException if stdin fails
     */
    public static void main(String[] args) throws IOException {
        server().serve();
    }

    /** @return the server with the example's methods; {@code serve()} runs it on stdin and stdout */
    static WorkerServer server() {
        return WorkerServer.builder()
                .name("java-example")
                .method("echo", (params, ctx) -> params)
                .method("upper", (params, ctx) -> upper(params))
                .method("slow", EchoWorker::slow)
                .build();
    }

    private static String upper(JsonNode params) {
        JsonNode text = params.path("text");
        if (!text.isTextual()) {
            throw new InvalidParamsException("upper needs params {\"text\": <string>}");
        }
        return text.textValue().toUpperCase(Locale.ROOT);
    }

    private static ObjectNode slow(JsonNode params, RequestContext ctx) throws InterruptedException {
        JsonNode msNode = params.path("ms");
        if (!msNode.canConvertToExactIntegral() || !msNode.canConvertToLong() || msNode.asLong() < 0) {
            throw new InvalidParamsException("slow needs params {\"ms\": <whole number, at least 0>}");
        }
        long ms = msNode.asLong();
        long start = System.nanoTime();
        while (true) {
            long slept = (System.nanoTime() - start) / 1_000_000;
            ctx.progress(JsonNodeFactory.instance.objectNode().put("sleptMs", Math.min(slept, ms)).put("ms", ms));
            if (slept >= ms) {
                return JsonNodeFactory.instance.objectNode().put("sleptMs", ms);
            }
            // The SDK interrupts this thread when the pool cancels the request and then answers
            // -32800 whatever the handler throws; checkCancelled() covers a cancel between sleeps.
            ctx.checkCancelled();
            Thread.sleep(Math.min(ms - slept, PROGRESS_EVERY_MILLIS));
        }
    }
}
