package dev.warmpool.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warmpool.worker.wire.JsonRpcProtocol;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * A worker that misbehaves in one way, chosen by its first argument. It speaks newline-framed
 * JSON-RPC by hand (not through the SDK), so it can break the protocol on purpose; unless a
 * behaviour says otherwise it answers the handshake and {@code $/ping} correctly and echoes every
 * other request's params, and exits when its stdin closes.
 *
 * <table>
 *   <caption>Behaviours</caption>
 *   <tr><th>argument</th><th>what it does</th></tr>
 *   <tr><td>{@code crash-kill}</td><td>on the first request, SIGKILLs itself ({@code kill -9 <pid>}); exit status 137</td></tr>
 *   <tr><td>{@code crash-exit0}</td><td>on the first request, exits with status 0 without answering</td></tr>
 *   <tr><td>{@code exit-at-start}</td><td>writes a line to stderr and exits with status 3 before the handshake</td></tr>
 *   <tr><td>{@code hang}</td><td>answers the handshake, then nothing (not even pings or cancels); ignores stdin's
 *       end-of-file, so only a signal stops it</td></tr>
 *   <tr><td>{@code hang-start}</td><td>never answers the handshake; ignores stdin's end-of-file</td></tr>
 *   <tr><td>{@code late MS}</td><td>answers each request after MS milliseconds (pings at once); ignores cancels</td></tr>
 *   <tr><td>{@code garbage}</td><td>before each answer writes three stdout lines that are not JSON-RPC messages</td></tr>
 *   <tr><td>{@code truncated [half|full]}</td><td>on the first request writes half of its answer (or all of it
 *       without the newline) and exits with status 0</td></tr>
 *   <tr><td>{@code oversize N}</td><td>answers each request with a frame of exactly N bytes</td></tr>
 *   <tr><td>{@code stderr-flood [MB]}</td><td>before each answer writes MB (default 20) megabytes to stderr</td></tr>
 *   <tr><td>{@code banner}</td><td>prints a banner line on stdout before the handshake</td></tr>
 *   <tr><td>{@code ignore-term}</td><td>echoes, but ignores stdin's end-of-file; start it with
 *       {@link TestWorkers#ignoringTerm(java.util.List)} so that SIGTERM is ignored too and only
 *       SIGKILL stops it (the JVM keeps SIGTERM ignored when it starts with it ignored)</td></tr>
 *   <tr><td>{@code grandchild}</td><td>on the first request starts {@code sleep 300} with the worker's stdout,
 *       writes "grandchild pid N" to stderr, and exits with status 1 — the grandchild keeps stdout open</td></tr>
 *   <tr><td>{@code echo-as-read}</td><td>no JSON-RPC at all: copies stdin to stdout chunk by chunk as it arrives,
 *       flushing each (for the {@code line} transport and raw pipe measurements)</td></tr>
 *   <tr><td>{@code close-stdout}</td><td>on the first request closes its stdout and keeps running until stdin closes</td></tr>
 *   <tr><td>{@code wrong-version}</td><td>answers the handshake with protocol version 2</td></tr>
 *   <tr><td>{@code unknown-id}</td><td>answers each request with an id that was never sent</td></tr>
 *   <tr><td>{@code result-and-error}</td><td>answers each request with both {@code result} and {@code error}</td></tr>
 * </table>
 * Every behaviour says what it is doing on stderr, so tests can find it in the stderr tail.
 */
public final class BadWorker {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String behaviour;
    private final String[] args;
    private final OutputStream out;

    private BadWorker(String behaviour, String[] args, OutputStream out) {
        this.behaviour = behaviour;
        this.args = args;
        this.out = out;
    }

    /**
     * Runs the worker with the behaviour its first argument names; the table says when it exits.
     *
     * @param args the behaviour, then its arguments
     * @throws Exception whatever the behaviour runs into
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: BadWorker BEHAVIOUR [ARGS...]; see the class documentation");
            System.exit(2);
        }
        OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
        // stray prints must not reach the frames; this worker writes stdout only through 'out'
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
        new BadWorker(args[0].toLowerCase(Locale.ROOT), Arrays.copyOfRange(args, 1, args.length), out).run();
    }

    private void run() throws Exception {
        say("behaviour " + behaviour + (args.length > 0 ? " " + String.join(" ", args) : ""));
        switch (behaviour) {
            case "exit-at-start" -> {
                say("exit-at-start: failing before the handshake with status 3");
                System.exit(3);
            }
            case "echo-as-read" -> {
                echoAsRead();
                return;
            }
            case "banner" -> {
                out.write("BadWorker 1.0 starting up (this line is not JSON)\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            case "crash-kill", "crash-exit0", "hang", "hang-start", "late", "garbage", "truncated", "oversize",
                 "stderr-flood", "ignore-term", "grandchild", "close-stdout", "wrong-version", "unknown-id",
                 "result-and-error" -> {
                // handled per message below
            }
            default -> {
                say("unknown behaviour '" + behaviour + "'");
                System.exit(2);
            }
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode msg = MAPPER.readTree(line);
            String method = msg.path("method").asText();
            JsonNode id = msg.get("id");
            if (id == null) {
                continue; // notifications, $/cancelRequest included, are ignored
            }
            if (method.equals(JsonRpcProtocol.INITIALIZE)) {
                handshake(id);
            } else if (method.equals(JsonRpcProtocol.PING)) {
                if (!behaviour.equals("hang")) {
                    respond(id, MAPPER.createObjectNode());
                }
            } else {
                request(id, msg.get("params"));
            }
        }
        say("stdin closed");
        if (behaviour.equals("hang") || behaviour.equals("hang-start") || behaviour.equals("ignore-term")) {
            say(behaviour + ": ignoring the end of stdin; waiting to be killed");
            sleepForever();
        }
    }

    private void handshake(JsonNode id) throws IOException {
        switch (behaviour) {
            case "hang-start" -> say("hang-start: not answering the handshake");
            case "wrong-version" -> respond(id, initializeResult(2));
            default -> respond(id, initializeResult(JsonRpcProtocol.PROTOCOL_VERSION));
        }
    }

    private static ObjectNode initializeResult(int version) {
        ObjectNode r = MAPPER.createObjectNode();
        r.put("protocolVersion", version);
        r.putObject("capabilities").put("cancel", true).put("ping", true);
        r.put("name", "bad");
        return r;
    }

    private void request(JsonNode id, JsonNode params) throws Exception {
        switch (behaviour) {
            case "crash-kill" -> {
                String pid = Long.toString(ProcessHandle.current().pid());
                say("crash-kill: sending SIGKILL to myself (pid " + pid + ")");
                new ProcessBuilder("kill", "-9", pid)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start().waitFor();
                sleepForever();
            }
            case "crash-exit0" -> {
                say("crash-exit0: exiting with status 0 in the middle of request " + id);
                Runtime.getRuntime().halt(0);
            }
            case "hang" -> say("hang: not answering request " + id);
            case "late" -> {
                long ms = args.length > 0 ? Long.parseLong(args[0]) : 1000;
                Thread.sleep(ms);
                respond(id, params);
            }
            case "garbage" -> {
                out.write("garbage line one\n{not json at all\n<html><body>oops</body></html>\n"
                        .getBytes(StandardCharsets.UTF_8));
                out.flush();
                respond(id, params);
            }
            case "truncated" -> {
                byte[] frame = response(id, params);
                boolean full = args.length > 0 && args[0].equals("full");
                int n = full ? frame.length : frame.length / 2;
                say("truncated: writing " + n + " of " + frame.length + " bytes of the answer, no newline, then exiting");
                out.write(frame, 0, n);
                out.flush();
                Runtime.getRuntime().halt(0);
            }
            case "oversize" -> {
                int size = Integer.parseInt(args[0]);
                String head = "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":\"";
                String tail = "\"}";
                int pad = Math.max(0, size - head.length() - tail.length());
                say("oversize: answering request " + id + " with a frame of " + (head.length() + pad + tail.length())
                        + " bytes");
                out.write((head + "x".repeat(pad) + tail + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            case "stderr-flood" -> {
                int mb = args.length > 0 ? Integer.parseInt(args[0]) : 20;
                say("stderr-flood: writing " + mb + " MB to stderr");
                byte[] line = ("flood " + "y".repeat(1017) + "\n").getBytes(StandardCharsets.US_ASCII);
                OutputStream err = new BufferedOutputStream(new FileOutputStream(FileDescriptor.err), 1 << 16);
                for (int i = 0; i < mb * 1024; i++) {
                    err.write(line);
                }
                err.flush();
                say("stderr-flood: done");
                respond(id, params);
            }
            case "grandchild" -> {
                Process child = new ProcessBuilder("sleep", "300")
                        .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .redirectInput(ProcessBuilder.Redirect.PIPE)
                        .start();
                say("grandchild pid " + child.pid());
                say("grandchild: exiting with status 1 while the grandchild holds stdout");
                Runtime.getRuntime().halt(1);
            }
            case "close-stdout" -> {
                say("close-stdout: closing stdout in the middle of request " + id + " and staying alive");
                out.close();
            }
            case "unknown-id" -> respond(MAPPER.getNodeFactory().numberNode(id.asLong() + 1000), params);
            case "result-and-error" -> {
                ObjectNode r = MAPPER.createObjectNode();
                r.put("jsonrpc", "2.0");
                r.set("id", id);
                r.set("result", params);
                r.putObject("error").put("code", 1).put("message", "both");
                write(MAPPER.writeValueAsBytes(r));
            }
            default -> respond(id, params);
        }
    }

    private static byte[] response(JsonNode id, JsonNode result) throws IOException {
        ObjectNode r = MAPPER.createObjectNode();
        r.put("jsonrpc", "2.0");
        r.set("id", id);
        r.set("result", result);
        return MAPPER.writeValueAsBytes(r);
    }

    private void respond(JsonNode id, JsonNode result) throws IOException {
        write(response(id, result));
    }

    private void write(byte[] frame) throws IOException {
        out.write(frame);
        out.write('\n');
        out.flush();
    }

    private void echoAsRead() throws IOException {
        InputStream in = new FileInputStream(FileDescriptor.in);
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) >= 0) {
            out.write(buf, 0, n);
            out.flush();
        }
        say("stdin closed");
    }

    private static void say(String what) {
        System.err.println("BadWorker: " + what);
        System.err.flush();
    }

    private static void sleepForever() {
        while (true) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                // nothing interrupts this worker but a signal
            }
        }
    }
}
