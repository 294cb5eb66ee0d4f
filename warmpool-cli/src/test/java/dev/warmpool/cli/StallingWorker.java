package dev.warmpool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * A JSON-RPC worker written by hand (not with the SDK) that answers the handshake and echoes small
 * requests, but stops reading its stdin for good at the first request line longer than 4 KiB, as
 * a worker stuck in a loop or a blocking call does: the pool's write of a large request then fills
 * the pipe (64 KiB) and cannot finish. It sleeps until it is killed. Its arguments are ignored; the
 * tests pass a marker to find it among the machine's processes.
 */
public final class StallingWorker {
    private static final int LONG_LINE = 4096;

    private StallingWorker() {
    }

    /**
     * @param args ignored
     * @throws IOException if stdin or stdout fails
     * @throws InterruptedException never in practice: it sleeps until killed
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        ObjectMapper mapper = new ObjectMapper();
        InputStream in = System.in;
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        while (true) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0 && b != '\n') {
                line.write(b);
                if (line.size() > LONG_LINE) {
                    System.err.println("stalling-worker: a request longer than " + LONG_LINE + " bytes; not reading on");
                    Thread.sleep(Long.MAX_VALUE);
                }
            }
            if (b < 0) {
                return;
            }
            JsonNode request = mapper.readTree(line.toByteArray());
            if (!request.has("id")) {
                continue; // a notification, such as a cancel
            }
            ObjectNode answer = mapper.createObjectNode().put("jsonrpc", "2.0");
            answer.set("id", request.get("id"));
            if (request.path("method").asText().equals("$/initialize")) {
                answer.putObject("result").put("protocolVersion", 1).put("name", "stalling-worker")
                        .putObject("capabilities").put("cancel", true).put("ping", true);
            } else {
                answer.set("result", request.has("params") ? request.get("params") : mapper.createObjectNode());
            }
            out.println(mapper.writeValueAsString(answer));
        }
    }
}
