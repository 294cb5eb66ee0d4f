package dev.warmpool.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warmpool.transport.stdio.FrameReader;
import dev.warmpool.transport.stdio.FrameWriter;
import dev.warmpool.transport.stdio.Framing;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A worker process spoken to over its pipes as the pool speaks to it, without a pool: frames out
 * in the chosen framing, frames in through a reader thread, stderr kept for failure messages. The
 * worker gets the environment the pool would give it ({@code PATH}, {@code HOME},
 * {@code WARMPOOL_FRAMING}, {@code WARMPOOL_MAX_FRAME_BYTES}) and nothing else of this JVM's.
 */
final class WorkerConversation implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final int READ_LIMIT = 1 << 24;
    private static final long RECEIVE_SECONDS = 10;
    private static final Object EOF = new Object();

    private final Process process;
    private final OutputStream stdin;
    private final FrameWriter writer;
    private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    private final Deque<String> stderr = new ArrayDeque<>();

    private WorkerConversation(Process process, Framing framing) {
        this.process = process;
        this.stdin = process.getOutputStream();
        this.writer = framing.writer(stdin, READ_LIMIT);
        FrameReader reader = framing.reader(process.getInputStream(), READ_LIMIT);
        Thread.ofPlatform().daemon().name("conversation-stdout-" + process.pid()).start(() -> {
            try {
                byte[] f;
                while ((f = reader.read()) != null) {
                    received.add(f);
                }
                received.add(EOF);
            } catch (IOException e) {
                received.add(e);
            }
        });
        Thread.ofPlatform().daemon().name("conversation-stderr-" + process.pid()).start(() -> drain(process.getErrorStream()));
    }

    /**
     * Starts {@code argv} with the pool's worker environment.
     *
     * @param framing the framing to speak, also passed as {@code WARMPOOL_FRAMING}
     * @param maxFrameBytes passed as {@code WARMPOOL_MAX_FRAME_BYTES}
     * @param extraEnv more variables (they win over the two above)
     */
    static WorkerConversation start(List<String> argv, Framing framing, int maxFrameBytes, Map<String, String> extraEnv)
            throws IOException {
        ProcessBuilder b = new ProcessBuilder(argv);
        Map<String, String> env = b.environment();
        env.clear();
        for (String name : List.of("PATH", "HOME", "LANG")) {
            String value = System.getenv(name);
            if (value != null) {
                env.put(name, value);
            }
        }
        env.put("WARMPOOL_FRAMING", framing.configName());
        env.put("WARMPOOL_MAX_FRAME_BYTES", Integer.toString(maxFrameBytes));
        env.putAll(extraEnv);
        return new WorkerConversation(b.start(), framing);
    }

    static WorkerConversation start(List<String> argv, Framing framing) throws IOException {
        return start(argv, framing, 16 * 1024 * 1024, Map.of());
    }

    private void drain(InputStream err) {
        try {
            byte[] buf = new byte[8192];
            StringBuilder line = new StringBuilder();
            int n;
            while ((n = err.read(buf)) > 0) {
                line.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                synchronized (stderr) {
                    stderr.addLast(line.toString());
                    while (stderr.size() > 200) {
                        stderr.removeFirst();
                    }
                }
                line.setLength(0);
            }
        } catch (IOException e) {
            // the process is gone; what was read is kept
        }
    }

    /** @return what the worker wrote to stderr lately */
    String stderr() {
        synchronized (stderr) {
            return String.join("", stderr);
        }
    }

    /** Sends one message as one frame. */
    void send(String json) throws IOException {
        writer.write(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends bytes as they are, outside any framing. */
    void sendRaw(byte[] bytes) throws IOException {
        stdin.write(bytes);
        stdin.flush();
    }

    /** @return the next frame as JSON; fails if none comes within 10 s or the worker closed stdout */
    JsonNode receive() throws Exception {
        Object f = received.poll(RECEIVE_SECONDS, TimeUnit.SECONDS);
        if (f == null) {
            fail("no frame from the worker within " + RECEIVE_SECONDS + " s; its stderr: " + stderr());
        }
        if (f == EOF) {
            fail("the worker closed its stdout; its stderr: " + stderr());
        }
        if (f instanceof IOException e) {
            fail("the worker's stdout could not be read: " + e + "; its stderr: " + stderr());
        }
        return JSON.readTree((byte[]) f);
    }

    /** Asserts that the next frame equals {@code expected} as a JSON tree. */
    void expect(String expected) throws Exception {
        assertEquals(JSON.readTree(expected), receive(), () -> "the worker's stderr: " + stderr());
    }

    /** Sends a request and returns the next frame. */
    JsonNode call(String json) throws Exception {
        send(json);
        return receive();
    }

    /**
     * Closes the worker's stdin and waits for it to exit.
     *
     * @return the frames it wrote after that, and its exit status as the last element
     */
    Ending finish() throws Exception {
        stdin.close();
        if (!process.waitFor(RECEIVE_SECONDS, TimeUnit.SECONDS)) {
            fail("the worker did not exit within " + RECEIVE_SECONDS + " s of the end of its stdin; its stderr: "
                    + stderr());
        }
        List<JsonNode> rest = new ArrayList<>();
        while (true) {
            Object f = received.poll(RECEIVE_SECONDS, TimeUnit.SECONDS);
            if (f == null || f == EOF || f instanceof IOException) {
                return new Ending(rest, process.exitValue());
            }
            rest.add(JSON.readTree((byte[]) f));
        }
    }

    /** Waits for the worker to exit by itself; fails if it does not within 10 s. */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(RECEIVE_SECONDS, TimeUnit.SECONDS)) {
            fail("the worker did not exit within " + RECEIVE_SECONDS + " s; its stderr: " + stderr());
        }
        return process.exitValue();
    }

    /** What a worker wrote after its stdin ended, and how it exited. */
    record Ending(List<JsonNode> frames, int exitStatus) {
    }

    @Override
    public void close() {
        try {
            stdin.close();
        } catch (IOException e) {
            // the process may be gone already
        }
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
