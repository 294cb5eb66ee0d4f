package dev.warmpool.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warmpool.worker.InvalidParamsException;
import dev.warmpool.worker.RequestContext;
import dev.warmpool.worker.WorkerServer;
import java.io.IOException;

/**
 * The demo's handler worker: a warmpool JSON-RPC worker with one method, {@code execute_handler}.
 *
 * <p>Request params: {@code {"handler_name": "say-something-nice", "event": {...}}}. Result:
 * {@code {"success": true, "output": "...", "stderr": "..."}} — {@code success} is {@code false}
 * (and {@code stderr} says why) when the handler cannot handle the event; an unknown handler name or
 * a missing event is a -32602 invalid-params error. {@code list_handlers} answers the handlers'
 * names and descriptions.
 *
 * <p>Run as {@code java -cp warmpool.jar dev.warmpool.cli.demo.HandlerWorker}; serves stdin until
 * end-of-file.
 */
public final class HandlerWorker {
    private HandlerWorker() {
    }

    /**
     * Serves requests on stdin and stdout until stdin ends.
     *
     * @param args none
     * @throws IOException if stdin fails
     */
    public static void main(String[] args) throws IOException {
        WorkerServer.builder()
                .name("warmpool-demo-handlers")
                .method("execute_handler", HandlerWorker::execute)
                .method("list_handlers", (params, ctx) -> {
                    ObjectNode list = JsonNodeFactory.instance.objectNode();
                    Handlers.names().forEach(n -> list.put(n, Handlers.description(n).orElse("")));
                    return list;
                })
                .build()
                .serve();
    }

    /**
     * Runs one handler on one event.
     *
     * @param params {@code {"handler_name": .., "event": {..}}}
     * @param context the request's context
     * @return {@code {"success": .., "output": .., "stderr": ..}}
     * @throws InvalidParamsException if the handler name or the event is missing or unknown
     */
    static ObjectNode execute(JsonNode params, RequestContext context) {
        JsonNode name = params.get("handler_name");
        if (name == null || !name.isTextual()) {
            throw new InvalidParamsException("params.handler_name must be a handler's name, one of "
                    + String.join(", ", Handlers.names()));
        }
        JsonNode event = params.get("event");
        if (event == null || !event.isObject()) {
            throw new InvalidParamsException("params.event must be a JSON object, the event to handle");
        }
        StringBuilder stderr = new StringBuilder();
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        try {
            String output = Handlers.run(name.textValue(), event, stderr);
            result.put("success", true).put("output", output);
        } catch (Handlers.HandlerFailure e) {
            stderr.append(e.getMessage()).append('\n');
            result.put("success", false).put("output", "");
        } catch (IllegalArgumentException e) {
            throw new InvalidParamsException(e.getMessage());
        }
        result.put("stderr", stderr.toString());
        return result;
    }
}
