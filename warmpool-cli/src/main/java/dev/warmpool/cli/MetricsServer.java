package dev.warmpool.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Serves {@code /metrics} (Prometheus text) and {@code /health} (JSON; 200 when healthy, 503
 * otherwise) over HTTP with the JDK's own server ({@code com.sun.net.httpserver}, module
 * {@code jdk.httpserver}): no dependency, a few milliseconds to start.
 *
 * <p>Requests are answered on one daemon thread: a scrape renders a snapshot in microseconds, and
 * one thread bounds what a flood of scrapes can take from the pool. Only {@code GET} and
 * {@code HEAD} are answered; other methods get 405, other paths 404.
 *
 * <p>Thread-safe; {@link #close()} stops it at once.
 */
final class MetricsServer implements AutoCloseable {
    /**
     * What {@code /health} says.
     *
     * @param healthy whether to answer 200
     * @param json the body, a small JSON object
     */
    record Health(boolean healthy, String json) {
    }

    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds and starts the server.
     *
     * @param address where to listen
     * @param metrics renders the metrics text, on each scrape
     * @param health says whether the command is healthy, on each probe
     * @return the running server
     * @throws IOException if the address cannot be bound (in use, or not this host's)
     */
    static MetricsServer start(InetSocketAddress address, Supplier<String> metrics, Supplier<Health> health)
            throws IOException {
        HttpServer server = HttpServer.create(address, 16);
        server.createContext("/metrics", exchange -> {
            if (allowed(exchange)) {
                String text;
                try {
                    text = metrics.get();
                } catch (RuntimeException e) {
                    send(exchange, 500, "text/plain; charset=utf-8", "the metrics could not be read: " + e + "\n");
                    return;
                }
                send(exchange, 200, PrometheusText.CONTENT_TYPE, text);
            }
        });
        server.createContext("/health", exchange -> {
            if (allowed(exchange)) {
                Health h;
                try {
                    h = health.get();
                } catch (RuntimeException e) {
                    h = new Health(false, "{\"status\":\"unknown\"}");
                }
                send(exchange, h.healthy() ? 200 : 503, "application/json", h.json() + "\n");
            }
        });
        server.createContext("/", exchange -> {
            if (allowed(exchange)) {
                send(exchange, 404, "text/plain; charset=utf-8", "not found: try /metrics or /health\n");
            }
        });
        ExecutorService executor = Executors.newSingleThreadExecutor(
                r -> Thread.ofPlatform().name("warmpool-metrics-http").daemon().unstarted(r));
        server.setExecutor(executor);
        server.start();
        return new MetricsServer(server, executor);
    }

    /** @return the address it listens on (with the port chosen when 0 was asked for) */
    InetSocketAddress address() {
        return server.getAddress();
    }

    /** @return where it serves, {@code http://HOST:PORT} (an IPv6 host in brackets), for the command to print */
    String url() {
        InetSocketAddress a = address();
        String host = a.getAddress().getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    private static boolean allowed(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        if (method.equals("GET") || method.equals("HEAD")) {
            return true;
        }
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        send(exchange, 405, "text/plain; charset=utf-8", "method " + method + " is not allowed: use GET\n");
        return false;
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        try (exchange) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
