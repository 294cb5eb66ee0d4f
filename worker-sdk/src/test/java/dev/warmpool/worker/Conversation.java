package dev.warmpool.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link WorkerServer} serving on in-memory pipes, and the pool's end of them: send frames,
 * receive frames (with a timeout), close stdin, wait for {@code serve} to return.
 */
final class Conversation implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    /** The name of the thread that calls {@code serve}. */
    static final String SERVING_THREAD = "test-server";
    private static final byte[] EOF = new byte[0];

    private final OutputStream toServer;
    private final Framing framing;
    private final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Void> served = new CompletableFuture<>();

    Conversation(WorkerServer server, Framing framing) throws IOException {
        Pipe in = Pipe.open();
        Pipe out = Pipe.open();
        toServer = Channels.newOutputStream(in.sink());
        this.framing = framing;
        InputStream serverIn = Channels.newInputStream(in.source());
        OutputStream serverOut = Channels.newOutputStream(out.sink());
        Thread.ofPlatform().daemon().name(SERVING_THREAD).start(() -> {
            try {
                server.serve(serverIn, serverOut);
                served.complete(null);
            } catch (Throwable t) {
                served.completeExceptionally(t);
            } finally {
                try {
                    serverOut.close();
                } catch (IOException ignored) {
                    // the test reads what there is
                }
            }
        });
        Frames.Reader reader = new Frames.Reader(Channels.newInputStream(out.source()), framing);
        Thread.ofPlatform().daemon().name("test-client-reader").start(() -> {
            try {
                byte[] f;
                while ((f = reader.next()) != null) {
                    received.add(f);
                }
            } catch (IOException e) {
                // end of the conversation
            }
            received.add(EOF);
        });
    }

    Conversation(WorkerServer server) throws IOException {
        this(server, Framing.NEWLINE);
    }

    void send(String json) throws IOException {
        sendRaw(Frames.frame(framing, json));
    }

    synchronized void sendRaw(byte[] bytes) throws IOException {
        toServer.write(bytes);
        toServer.flush();
    }

    /** @return the next frame as JSON; fails if none comes within 5 s or the server closed its output */
    JsonNode receive() throws Exception {
        byte[] f = received.poll(5, TimeUnit.SECONDS);
        assertNotNull(f, "no frame within 5 s");
        if (f == EOF) {
            throw new AssertionError("the server's output ended");
        }
        return JSON.readTree(f);
    }

    /** Asserts the next frame equals {@code expected} as a JSON tree. */
    void expect(String expected) throws Exception {
        assertEquals(JSON.readTree(expected), receive());
    }

    /** @return whether nothing arrives within {@code millis} */
    boolean quietFor(long millis) throws InterruptedException {
        byte[] f = received.poll(millis, TimeUnit.MILLISECONDS);
        if (f != null && f != EOF) {
            throw new AssertionError("unexpected frame " + new String(f, StandardCharsets.UTF_8));
        }
        return true;
    }

    /** Closes the server's stdin and waits for {@code serve} to return. */
    void finish() throws Exception {
        toServer.close();
        served.get(5, TimeUnit.SECONDS);
    }

    /** @return the frames left after {@code serve} returned, as JSON */
    java.util.List<JsonNode> rest() throws Exception {
        java.util.List<JsonNode> rest = new java.util.ArrayList<>();
        while (true) {
            byte[] f = received.poll(5, TimeUnit.SECONDS);
            if (f == null || f == EOF) {
                return rest;
            }
            rest.add(JSON.readTree(f));
        }
    }

    @Override
    public void close() throws IOException {
        toServer.close();
    }
}
