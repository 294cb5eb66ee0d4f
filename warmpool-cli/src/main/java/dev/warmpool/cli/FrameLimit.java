package dev.warmpool.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks, before a request is sent, that its frame fits the pool's frame limit, so an oversize
 * request is answered as {@code bad-input} with its size and the limit, instead of failing inside a
 * transport.
 *
 * <p>The size is the frame the transport writes: for {@code line} and {@code oneshot} the text and
 * its line break; for {@code jsonrpc} the compact request object with the largest id the transport
 * can give it, so the check never passes a frame that the transport would refuse. Other transports
 * frame requests their own way (the {@code claude} transport wraps a prompt in a stream-json
 * message) and are not checked here; their own check still answers the request.
 *
 * <p>Thread-safe.
 */
final class FrameLimit {
    /** An id as long as any the jsonrpc transport gives (a long). */
    private static final long WIDEST_ID = Long.MIN_VALUE;

    private final ObjectMapper mapper;
    private final String transport;
    private final int limit;

    /**
     * @param mapper writes JSON as the transports do (compact)
     * @param transport the transport's name
     * @param limit the frame limit in bytes
     */
    FrameLimit(ObjectMapper mapper, String transport, int limit) {
        this.mapper = mapper;
        this.transport = transport;
        this.limit = limit;
    }

    /** @return where the limit is set, for messages */
    static String source() {
        return "--max-frame-bytes, default 16 MiB";
    }

    /**
     * @param call the request
     * @param number its line number
     * @return why it does not fit, or empty if it fits (or its transport is not checked here)
     */
    Optional<String> check(RequestParser.Call call, long number) {
        long bytes = switch (transport) {
            case "line", "oneshot" -> utf8Length(String.valueOf(call.params())) + 1L;
            case "jsonrpc" -> jsonRpcFrame(call);
            default -> -1;
        };
        if (bytes <= limit) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "line %d: the request is %,d bytes as a %s frame, over the "
                + "frame limit of %,d bytes (%s); nothing was sent", number, bytes, transport, limit, source()));
    }

    private long jsonRpcFrame(RequestParser.Call call) {
        ObjectNode n = mapper.createObjectNode();
        n.put("jsonrpc", "2.0");
        n.put("id", WIDEST_ID);
        n.put("method", call.method());
        if (call.params() != null) {
            n.set("params", mapper.valueToTree(call.params()));
        }
        Counter counter = new Counter();
        try {
            mapper.writeValue(counter, n);
        } catch (IOException e) {
            return -1; // a tree always writes; if not, the transport's own check answers
        }
        return counter.count + 1L;
    }

    /** Counts what is written to it, so a large request is measured without a copy of its bytes. */
    private static final class Counter extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }

    private static long utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
