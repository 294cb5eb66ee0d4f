package dev.warmpool.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warmpool.worker.wire.JsonRpcProtocol;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A newline-framed JSON-RPC worker that controls the exact bytes of its answers, for tests of how
 * the pool reads what real programs emit. It answers the handshake and pings normally; the answer
 * to each other request is shaped by the first argument:
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><th>argument</th><th>the answer to a request</th></tr>
 *   <tr><td>{@code crlf}</td><td>ends with {@code \r\n} instead of {@code \n}</td></tr>
 *   <tr><td>{@code bom}</td><td>normal, but the whole stdout stream starts with a UTF-8 byte order mark</td></tr>
 *   <tr><td>{@code split}</td><td>written one byte at a time, each flushed</td></tr>
 *   <tr><td>{@code invalid-utf8}</td><td>a result string containing the bytes {@code C3 28} (not UTF-8)</td></tr>
 *   <tr><td>{@code size N}</td><td>a frame of exactly N bytes (newline excluded), the result a padded string</td></tr>
 *   <tr><td>{@code deep N}</td><td>a result nested in N arrays</td></tr>
 *   <tr><td>{@code malformed}</td><td><code>{"jsonrpc":"2.0","id":ID,"result":</code> — broken JSON</td></tr>
 * </table>
 */
public final class WireWorker {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private WireWorker() {
    }

    /**
     * Runs the worker with the answer shape its first argument names, until its stdin closes.
     *
     * @param args the shape, then its number where it takes one
     * @throws IOException if stdout fails
     */
    public static void main(String[] args) throws IOException {
        String shape = args[0].toLowerCase(Locale.ROOT);
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        OutputStream out = new FileOutputStream(FileDescriptor.out);
        if (shape.equals("bom")) {
            out.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            JsonNode msg = MAPPER.readTree(line);
            JsonNode id = msg.get("id");
            if (id == null) {
                continue;
            }
            String method = msg.path("method").asText();
            String head = "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",";
            if (method.equals(JsonRpcProtocol.INITIALIZE)) {
                write(out, head + "\"result\":{\"protocolVersion\":1,\"capabilities\":{},\"name\":\"wire\"}}\n");
            } else if (method.equals(JsonRpcProtocol.PING)) {
                write(out, head + "\"result\":{}}\n");
            } else {
                answer(out, shape, n, head);
            }
        }
    }

    private static void answer(OutputStream out, String shape, int n, String head) throws IOException {
        switch (shape) {
            case "crlf" -> write(out, head + "\"result\":\"crlf\"}\r\n");
            case "bom" -> write(out, head + "\"result\":\"bom\"}\n");
            case "split" -> {
                for (byte b : (head + "\"result\":\"split\"}\n").getBytes(StandardCharsets.UTF_8)) {
                    out.write(b);
                    out.flush();
                }
            }
            case "invalid-utf8" -> {
                ByteArrayOutputStream frame = new ByteArrayOutputStream();
                frame.writeBytes((head + "\"result\":\"a").getBytes(StandardCharsets.UTF_8));
                frame.writeBytes(new byte[] {(byte) 0xC3, (byte) 0x28});
                frame.writeBytes("\"}\n".getBytes(StandardCharsets.UTF_8));
                out.write(frame.toByteArray());
                out.flush();
            }
            case "size" -> {
                String prefix = head + "\"result\":\"";
                String suffix = "\"}";
                int pad = n - prefix.length() - suffix.length();
                write(out, prefix + "x".repeat(Math.max(pad, 0)) + suffix + "\n");
            }
            case "deep" -> write(out, head + "\"result\":" + "[".repeat(n) + "]".repeat(n) + "}\n");
            case "malformed" -> write(out, head + "\"result\":\n");
            default -> throw new IllegalArgumentException("unknown shape " + shape);
        }
    }

    private static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
