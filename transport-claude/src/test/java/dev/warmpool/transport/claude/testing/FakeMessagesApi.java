package dev.warmpool.transport.claude.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A fake Anthropic Messages API on loopback: {@code POST /v1/messages} answered with the streaming
 * server-sent events the real API sends (or plain JSON when the request does not ask to stream),
 * every request body recorded. {@link #mode(Mode)} makes it fail (500, 529 overloaded), hang until
 * {@link #close()}, or hold its answer until the mode is set to something else.
 *
 * <p>A test fixture of the claude transport's test-jar, public for other modules' tests (handler-pool's
 * {@code ClaudeFixtures}); in a package of its own because the module {@code dev.warmpool.transport.claude}
 * owns the transport's package, which a test-jar on another module's class path cannot add to.
 * Thread-safe.
 */
public class FakeMessagesApi implements AutoCloseable {
    /** How the next message requests are answered. */
    public enum Mode {
        /** A streamed (or plain JSON) answer, "fake answer N". */
        OK,
        /** HTTP 500 with an {@code api_error}. */
        SERVER_ERROR_500,
        /** HTTP 529 with an {@code overloaded_error}. */
        OVERLOADED_529,
        /** Never answers (until {@link #close()}). */
        HANG,
        /** Holds each request until the mode is no longer {@code HOLD}, then answers it as that mode says. */
        HOLD
    }

    private static final ObjectMapper M = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-messages-api");
        t.setDaemon(true);
        return t;
    });
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private final Semaphore arrived = new Semaphore(0);
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger answers = new AtomicInteger();
    private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.OK);

    /**
     * Starts the API on a free loopback port.
     *
     * @throws UncheckedIOException if no server socket can be opened
     */
    public FakeMessagesApi() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("the fake Messages API cannot listen on loopback", e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** @param m how the next requests are answered (and held ones, for {@link Mode#HOLD}) */
    public final void mode(Mode m) {
        mode.set(m);
    }

    /** @return {@code http://127.0.0.1:PORT}, for {@code ANTHROPIC_BASE_URL} */
    public final String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * The environment that points a real {@code claude} at this API and keeps it off the network:
     * a dummy key, no nonessential traffic, no auto-update, and no retries (an API error ends the
     * turn at once). Without {@code PATH}, which each test sets its own way.
     *
     * @param home the CLI's home directory
     * @return the variables, in a stable order
     */
    public final Map<String, String> claudeEnvironment(Path home) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HOME", home.toString());
        env.put("ANTHROPIC_BASE_URL", baseUrl());
        env.put("ANTHROPIC_API_KEY", "dummy");
        env.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
        env.put("DISABLE_AUTOUPDATER", "1");
        env.put("CLAUDE_CODE_MAX_RETRIES", "0");
        return env;
    }

    /** @return the bodies of the {@code POST /v1/messages} requests so far, oldest first */
    public final List<JsonNode> requests() {
        return List.copyOf(requests);
    }

    /**
     * Waits for the next message request to arrive (counting from the last call).
     *
     * @param seconds how long to wait at most
     * @return whether one arrived in time
     * @throws InterruptedException if interrupted while waiting
     */
    public final boolean awaitRequest(long seconds) throws InterruptedException {
        return arrived.tryAcquire(seconds, TimeUnit.SECONDS);
    }

    /** @return the texts of a request's user messages, every text block of each, in order */
    public static List<List<String>> userTexts(JsonNode request) {
        List<List<String>> out = new ArrayList<>();
        for (JsonNode m : request.path("messages")) {
            if (m.path("role").asText().equals("user")) {
                List<String> texts = new ArrayList<>();
                if (m.path("content").isTextual()) {
                    texts.add(m.path("content").asText());
                }
                for (JsonNode block : m.path("content")) {
                    if (block.path("type").asText().equals("text")) {
                        texts.add(block.path("text").asText());
                    }
                }
                out.add(texts);
            }
        }
        return out;
    }

    /** @return how many assistant messages a request carries (earlier answers of the conversation) */
    public static long assistantMessages(JsonNode request) {
        long n = 0;
        for (JsonNode m : request.path("messages")) {
            if (m.path("role").asText().equals("assistant")) {
                n++;
            }
        }
        return n;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            String path = ex.getRequestURI().getPath();
            if (!ex.getRequestMethod().equals("POST") || !path.equals("/v1/messages")) {
                // the CLI's start-up connectivity check (HEAD /) and anything else
                json(ex, 404, "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"fake\"}}");
                return;
            }
            JsonNode request = M.readTree(body);
            requests.add(request);
            arrived.release();
            respond(ex, request);
        } catch (IOException e) {
            // the CLI went away (killed, interrupted) while it waited: nothing to answer
        }
    }

    private void respond(HttpExchange ex, JsonNode request) throws IOException {
        switch (mode.get()) {
            case SERVER_ERROR_500 -> json(ex, 500,
                    "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"fake internal error\"}}");
            case OVERLOADED_529 -> json(ex, 529,
                    "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"fake overloaded\"}}");
            case HOLD -> {
                if (hold()) {
                    respond(ex, request);
                }
            }
            case HANG -> {
                try {
                    release.await(120, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            case OK -> answer(ex, request);
        }
    }

    /** Waits while the mode is {@code HOLD}. @return whether to answer now ({@code false}: closed or gave up) */
    private boolean hold() {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        try {
            while (mode.get() == Mode.HOLD) {
                if (release.await(10, TimeUnit.MILLISECONDS) || System.nanoTime() > end) {
                    return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void answer(HttpExchange ex, JsonNode request) throws IOException {
        int n = answers.incrementAndGet();
        String text = "fake answer " + n;
        String usage = "{\"input_tokens\":10,\"output_tokens\":5}";
        if (!request.path("stream").asBoolean(false)) {
            json(ex, 200, "{\"id\":\"msg_" + n + "\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-fake\","
                    + "\"content\":[{\"type\":\"text\",\"text\":\"" + text + "\"}],\"stop_reason\":\"end_turn\","
                    + "\"stop_sequence\":null,\"usage\":" + usage + "}");
            return;
        }
        ex.getResponseHeaders().add("content-type", "text/event-stream");
        ex.getResponseHeaders().add("cache-control", "no-cache");
        ex.sendResponseHeaders(200, 0);
        OutputStream o = ex.getResponseBody();
        event(o, "message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_" + n + "\",\"type\":\"message\","
                + "\"role\":\"assistant\",\"model\":\"claude-fake\",\"content\":[],\"stop_reason\":null,"
                + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":10,\"output_tokens\":1}}}");
        event(o, "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
        event(o, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"" + text + "\"}}");
        event(o, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
        event(o, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
                + "\"usage\":{\"output_tokens\":5}}");
        event(o, "message_stop", "{\"type\":\"message_stop\"}");
    }

    private static void event(OutputStream o, String name, String data) throws IOException {
        o.write(("event: " + name + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        o.flush();
    }

    private static void json(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("content-type", "application/json");
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    /** Lets hanging requests go and stops the server. */
    @Override
    public final void close() {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
