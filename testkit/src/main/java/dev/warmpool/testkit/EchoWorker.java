package dev.warmpool.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warmpool.worker.InvalidParamsException;
import dev.warmpool.worker.JsonRpcError;
import dev.warmpool.worker.WorkerServer;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A well-behaved JSON-RPC worker built on {@link WorkerServer}, started by tests as a real process
 * with {@code TestWorkers.java(EchoWorker.class)}. It speaks whatever framing the pool sets in
 * {@code WARMPOOL_FRAMING} and exits when its stdin closes.
 *
 * <p>Methods:
 * <ul>
 *   <li>{@code echo}: returns its params;</li>
 *   <li>{@code sleep} {@code {"ms": N}}: sleeps N ms and returns N; cancelling it answers -32800 at once;</li>
 *   <li>{@code fail} {@code {"code": C, "message": M, "data": D}}: answers with that error ({@code data} optional);</li>
 *   <li>{@code pid}: returns its process id;</li>
 *   <li>{@code notify} {@code {"count": N}}: sends N {@code $/progress} notifications with values 1..N, then returns N;</li>
 *   <li>{@code env} {@code {"name": X}}: returns the value of environment variable X, or {@code null};</li>
 *   <li>{@code exit} {@code {"code": N}}: ends the JVM with status N in the middle of the request;</li>
 *   <li>{@code stderr} {@code {"line": S}}: writes S to stderr and returns {@code null};</li>
 *   <li>{@code print} {@code {"line": S}}: prints S with {@code System.out.println}, which
 *       {@link WorkerServer#serve()} points at stderr, and returns {@code null};</li>
 *   <li>{@code requests}: returns how many requests it received before this one.</li>
 * </ul>
 * Arguments: {@code --name NAME} (the name in the handshake, default {@code echo}),
 * {@code --start-delay-ms N} (sleep before serving, to simulate a slow start).
 */
public final class EchoWorker {
    private EchoWorker() {
    }

    /**
     * Serves the methods above on stdin and stdout until stdin closes.
     *
     * @param args {@code [--name NAME] [--start-delay-ms N]}
     * @throws IOException if stdin fails
     * @throws InterruptedException if interrupted during the start delay
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        String name = "echo";
        long startDelay = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--name" -> name = args[++i];
                case "--start-delay-ms" -> startDelay = Long.parseLong(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument '" + args[i]
                        + "'; expected --name NAME or --start-delay-ms N");
            }
        }
        if (startDelay > 0) {
            Thread.sleep(startDelay);
        }
        server(name).serve();
    }

    /**
     * Builds the worker's server without starting it, for tests that run it in this JVM over in-memory pipes.
     *
     * @param name the name in the handshake
     * @return the server with the methods listed above, for in-process use
     */
    public static WorkerServer server(String name) {
        AtomicLong requests = new AtomicLong();
        return WorkerServer.builder()
                .name(name)
                .method("echo", (params, ctx) -> {
                    requests.incrementAndGet();
                    return params;
                })
                .method("sleep", (params, ctx) -> {
                    requests.incrementAndGet();
                    long ms = required(params, "ms").asLong();
                    Thread.sleep(ms); // cancellation interrupts it; the server then answers -32800
                    return ms;
                })
                .method("fail", (params, ctx) -> {
                    requests.incrementAndGet();
                    JsonNode data = params.get("data");
                    throw new JsonRpcError(required(params, "code").asInt(), params.path("message").asText("failed"),
                            data);
                })
                .method("pid", (params, ctx) -> {
                    requests.incrementAndGet();
                    return ProcessHandle.current().pid();
                })
                .method("notify", (params, ctx) -> {
                    requests.incrementAndGet();
                    int count = required(params, "count").asInt();
                    for (int i = 1; i <= count; i++) {
                        ctx.progress(i);
                    }
                    return count;
                })
                .method("env", (params, ctx) -> {
                    requests.incrementAndGet();
                    return System.getenv(required(params, "name").asText());
                })
                .method("exit", (params, ctx) -> {
                    requests.incrementAndGet();
                    int code = required(params, "code").asInt();
                    System.err.println("echo worker: exiting with status " + code + " in the middle of a request");
                    System.err.flush();
                    Runtime.getRuntime().halt(code);
                    return null;
                })
                .method("stderr", (params, ctx) -> {
                    requests.incrementAndGet();
                    System.err.println(required(params, "line").asText());
                    System.err.flush();
                    return null;
                })
                .method("print", (params, ctx) -> {
                    requests.incrementAndGet();
                    System.out.println(required(params, "line").asText()); // the server sends it to stderr
                    return null;
                })
                .method("requests", (params, ctx) -> Map.of("count", requests.getAndIncrement()))
                .build();
    }

    private static JsonNode required(JsonNode params, String field) {
        JsonNode v = params.get(field);
        if (v == null || v.isNull()) {
            throw new InvalidParamsException("missing parameter '" + field + "' in " + params);
        }
        return v;
    }
}
