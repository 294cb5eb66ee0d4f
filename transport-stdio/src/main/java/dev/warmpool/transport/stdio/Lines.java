package dev.warmpool.transport.stdio;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.TreeNode;
import dev.warmpool.api.spi.Call;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Turns a call's parameters into the one line the {@code line} and {@code oneshot} transports
 * send: a {@code String} (any {@code CharSequence}) as it is, {@code null} as an empty line, and
 * anything else as compact JSON: maps as objects, lists, other iterables and arrays as arrays,
 * records as objects of their components, numbers, booleans, characters and enum constants (by
 * name) as JSON values, and a Jackson tree as the JSON it holds.
 */
final class Lines {
    private static final JsonFactory JSON = new JsonFactory();
    /** Deeper than this, params are taken to contain themselves. */
    private static final int MAX_DEPTH = 200;

    private Lines() {
    }

    /**
     * @param workerId the worker, for messages
     * @param call the call
     * @param maxFrameBytes the limit of one frame
     * @return the line's UTF-8 bytes, without the newline
     * @throws IllegalArgumentException (the caller's mistake; nothing has been sent) if the result
     *     type cannot hold a String, the params cannot be written as JSON, their text contains a line
     *     break, or the line exceeds the limit
     */
    static byte[] encode(String workerId, Call<?> call, int maxFrameBytes) {
        if (!call.resultType().isAssignableFrom(String.class)) {
            throw new IllegalArgumentException("the line and oneshot transports answer each call with a String, "
                    + "which cannot be returned as " + call.resultType().getName() + "; ask for String or Object (worker "
                    + workerId + ")");
        }
        Object params = call.params();
        String text = params == null ? "" : params instanceof CharSequence s ? s.toString() : json(params);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                throw new IllegalArgumentException("the params contain a line break (" + (c == '\n' ? "\\n" : "\\r")
                        + " at index " + i + "); the line transport sends each request as one line, so embedded "
                        + "newlines are not allowed (worker " + workerId + "; nothing was sent)");
            }
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > maxFrameBytes) {
            throw new IllegalArgumentException("the request line of " + bytes.length + " bytes exceeds the limit of "
                    + maxFrameBytes + " bytes (maxFrameBytes) (worker " + workerId + "; nothing was sent)");
        }
        return bytes;
    }

    /** @return {@code value} as compact JSON */
    static String json(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            write(g, value, 0);
        } catch (IOException e) {
            throw new IllegalArgumentException("the params cannot be written as JSON: " + e.getMessage(), e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void write(JsonGenerator g, @Nullable Object v, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("the params are nested more than " + MAX_DEPTH
                    + " levels deep (do they contain themselves?)");
        }
        switch (v) {
            case null -> g.writeNull();
            case CharSequence s -> g.writeString(s.toString());
            case Character c -> g.writeString(c.toString());
            case Boolean b -> g.writeBoolean(b);
            case Integer i -> g.writeNumber(i);
            case Long l -> g.writeNumber(l);
            case Short s -> g.writeNumber(s);
            case Byte b -> g.writeNumber(b);
            case Double d -> g.writeNumber(d);
            case Float f -> g.writeNumber(f);
            case BigDecimal d -> g.writeNumber(d);
            case BigInteger i -> g.writeNumber(i);
            case Number n -> g.writeNumber(n.toString());
            case Enum<?> e -> g.writeString(e.name());
            case Optional<?> o -> write(g, o.orElse(null), depth + 1);
            case TreeNode tree -> g.writeRawValue(tree.toString());
            case Map<?, ?> m -> {
                g.writeStartObject();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    g.writeFieldName(String.valueOf(e.getKey()));
                    write(g, e.getValue(), depth + 1);
                }
                g.writeEndObject();
            }
            case Iterable<?> it -> {
                g.writeStartArray();
                for (Object o : it) {
                    write(g, o, depth + 1);
                }
                g.writeEndArray();
            }
            case Record r -> writeRecord(g, r, depth);
            default -> {
                if (!v.getClass().isArray()) {
                    throw new IllegalArgumentException("the params cannot be written as JSON: a "
                            + v.getClass().getName() + " is not a map, list, array, record, string, number, "
                            + "boolean or enum; pass one of those, or a String to send as it is");
                }
                g.writeStartArray();
                for (int i = 0, n = Array.getLength(v); i < n; i++) {
                    write(g, Array.get(v, i), depth + 1);
                }
                g.writeEndArray();
            }
        }
    }

    private static void writeRecord(JsonGenerator g, Record r, int depth) throws IOException {
        g.writeStartObject();
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            Object value;
            try {
                value = c.getAccessor().invoke(r);
            } catch (IllegalAccessException | RuntimeException e) {
                throw new IllegalArgumentException("the params cannot be written as JSON: record "
                        + r.getClass().getName() + " is not accessible to the line transport (make it public in an "
                        + "exported package, or pass a Map)", e);
            } catch (InvocationTargetException e) {
                throw new IllegalArgumentException("the params cannot be written as JSON: " + r.getClass().getName()
                        + "." + c.getName() + "() failed: " + e.getCause(), e.getCause());
            }
            g.writeFieldName(c.getName());
            write(g, value, depth + 1);
        }
        g.writeEndObject();
    }
}
