package dev.warmpool.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns one input line of {@code warmpool run} into a request, or into the reason it is not one.
 *
 * <p>For {@code jsonrpc} (and any transport other than {@code line} and {@code oneshot}) a line is a
 * JSON object {@code {"id":..,"method":..,"params":..}}: {@code id} a string or number (the line
 * number when absent), {@code method} a string ({@code --method} when absent), {@code params} an
 * object or array (JSON-RPC 2.0 allows nothing else) or absent. Blank lines are skipped.
 *
 * <p>For {@code line} and {@code oneshot} the payload is one line of text: a line holding a JSON
 * string is that string; a line holding a JSON object is such a request whose {@code params} is the
 * text (a string as it is, other JSON compactly written); any other line is sent as it is. A line
 * that starts with <code>{</code> but is not valid JSON is bad input (it was meant as a request);
 * {@code --raw} sends every line as it is.
 *
 * <p>Not thread-safe; one per input.
 */
final class RequestParser {
    private static final Set<String> MEMBERS = Set.of("id", "method", "params", "jsonrpc");
    private static final String SHAPE = "{\"id\":1,\"method\":\"echo\",\"params\":{...}}";

    /** What a line turned into. */
    sealed interface Parsed {
    }

    /**
     * A request to send.
     *
     * @param id the id to answer with
     * @param method the method
     * @param params a {@link JsonNode} (jsonrpc), a {@code String} (line transports), or {@code null}
     */
    record Call(JsonNode id, String method, Object params) implements Parsed {
    }

    /**
     * A line that is not a request; it is answered with a {@code bad-input} error.
     *
     * @param id the line's id if it had a usable one, else its line number
     * @param message what is wrong
     */
    record Bad(JsonNode id, String message) implements Parsed {
    }

    /** A blank line between JSON requests: no request, no answer. */
    record Skip() implements Parsed {
    }

    private final ObjectMapper mapper;
    private final boolean lineProtocol;
    private final boolean jsonRpc;
    private final boolean raw;
    private final String defaultMethod;

    /**
     * @param mapper parses and writes JSON
     * @param lineProtocol whether the transport takes text lines ({@code line}, {@code oneshot})
     * @param jsonRpc whether the transport speaks JSON-RPC, whose params must be an object or array
     * @param raw whether every line is sent as it is (line transports only)
     * @param defaultMethod the method of requests that name none, or {@code null}
     */
    RequestParser(ObjectMapper mapper, boolean lineProtocol, boolean jsonRpc, boolean raw, String defaultMethod) {
        this.mapper = mapper;
        this.lineProtocol = lineProtocol;
        this.jsonRpc = jsonRpc;
        this.raw = raw;
        this.defaultMethod = defaultMethod;
    }

    /**
     * @param line the line, without its line break
     * @param number its 1-based line number
     * @return what it is
     */
    Parsed parse(String line, long number) {
        return lineProtocol ? parseText(line, number) : parseJson(line, number);
    }

    private Parsed parseJson(String line, long number) {
        if (line.isBlank()) {
            return new Skip();
        }
        JsonNode node;
        try {
            node = mapper.readTree(line);
        } catch (JsonProcessingException e) {
            return new Bad(LongNode.valueOf(number), "line " + number + " is not valid JSON: " + e.getOriginalMessage());
        }
        Bad lone = loneSurrogate(node, LongNode.valueOf(number), number);
        if (lone != null) {
            return lone;
        }
        if (!node.isObject()) {
            return new Bad(LongNode.valueOf(number), "line " + number + " is a JSON " + node.getNodeType().name()
                    .toLowerCase(Locale.ROOT) + ", but a request is an object: " + SHAPE);
        }
        return envelope(node, number, false);
    }

    private Parsed parseText(String line, long number) {
        if (raw) {
            return new Call(LongNode.valueOf(number), method(), line);
        }
        String t = line.strip();
        if (t.startsWith("{")) {
            JsonNode node;
            try {
                node = mapper.readTree(line);
            } catch (JsonProcessingException e) {
                return new Bad(LongNode.valueOf(number), "line " + number + " starts with '{' but is not valid JSON: "
                        + e.getOriginalMessage() + " (--raw sends every line as it is)");
            }
            Bad lone = loneSurrogate(node, LongNode.valueOf(number), number);
            return lone != null ? lone : envelope(node, number, true);
        }
        if (t.startsWith("\"")) {
            try {
                JsonNode node = mapper.readTree(line);
                if (node.isTextual()) {
                    Bad lone = loneSurrogate(node, LongNode.valueOf(number), number);
                    return lone != null ? lone : text(LongNode.valueOf(number), node.textValue(), number);
                }
            } catch (JsonProcessingException e) {
                // not a JSON string: plain text, sent as it is
            }
        }
        return new Call(LongNode.valueOf(number), method(), line);
    }

    private Parsed envelope(JsonNode node, long number, boolean text) {
        JsonNode idNode = node.get("id");
        JsonNode id;
        if (idNode == null || idNode.isNull()) {
            id = LongNode.valueOf(number);
        } else if (idNode.isTextual() || idNode.isNumber()) {
            id = idNode;
        } else {
            return new Bad(LongNode.valueOf(number), "line " + number + ": \"id\" is a JSON "
                    + kind(idNode) + ", but must be a string or a number");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!MEMBERS.contains(name)) {
                return new Bad(id, "line " + number + ": unknown member \"" + name + "\"; a request is " + SHAPE
                        + " (put the worker's parameters under \"params\")");
            }
        }
        JsonNode methodNode = node.get("method");
        String method;
        if (methodNode == null || methodNode.isNull()) {
            method = method();
            if (method == null) {
                return new Bad(id, "line " + number + " names no method: give \"method\" in the line, or --method");
            }
        } else if (methodNode.isTextual() && !methodNode.textValue().isEmpty()) {
            method = methodNode.textValue();
        } else {
            return new Bad(id, "line " + number + ": \"method\" must be a non-empty string, but is " + methodNode);
        }
        JsonNode params = node.get("params");
        if (text) {
            String payload;
            if (params == null || params.isNull()) {
                payload = "";
            } else if (params.isTextual()) {
                payload = params.textValue();
            } else {
                payload = params.toString();
            }
            return text(id, payload, number, method);
        }
        if (params == null || params.isNull()) {
            return new Call(id, method, null);
        }
        if (jsonRpc && !params.isContainerNode()) {
            return new Bad(id, "line " + number + ": \"params\" is a JSON " + kind(params)
                    + ", but JSON-RPC 2.0 takes an object or an array; wrap it, e.g. {\"value\": " + params + "}");
        }
        return new Call(id, method, params);
    }

    private Parsed text(JsonNode id, String payload, long number) {
        return text(id, payload, number, method());
    }

    private static Parsed text(JsonNode id, String payload, long number, String method) {
        int nl = payload.indexOf('\n');
        int cr = payload.indexOf('\r');
        if (nl >= 0 || cr >= 0) {
            return new Bad(id, "line " + number + ": the payload holds a line break, but the line and oneshot "
                    + "transports send each request as one line");
        }
        return new Call(id, method, payload);
    }

    /** @return the method of a request that names none: --method, or for the line transports (which ignore it) "line" */
    private String method() {
        return defaultMethod != null || !lineProtocol ? defaultMethod : "line";
    }

    /**
     * @return a bad-input answer if a string or member name in {@code node} holds a surrogate
     *     without its pair, else {@code null}
     */
    private static Bad loneSurrogate(JsonNode node, JsonNode id, long number) {
        if (node.isTextual()) {
            int at = loneSurrogateAt(node.textValue());
            return at < 0 ? null : new Bad(id, "line " + number + ": the string \"" + abbreviate(node.textValue())
                    + "\" holds a lone UTF-16 surrogate (\\u" + String.format(Locale.ROOT, "%04x",
                    (int) node.textValue().charAt(at)) + " at index " + at + ") that UTF-8 cannot carry; "
                    + "nothing was sent");
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                Bad b = loneSurrogate(new TextNode(e.getKey()), id, number);
                if (b == null) {
                    b = loneSurrogate(e.getValue(), id, number);
                }
                if (b != null) {
                    return b;
                }
            }
        } else if (node.isArray()) {
            for (JsonNode element : node) {
                Bad b = loneSurrogate(element, id, number);
                if (b != null) {
                    return b;
                }
            }
        }
        return null;
    }

    /** @return the index of the first surrogate without its pair in {@code s}, or -1 */
    static int loneSurrogateAt(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    private static String abbreviate(String s) {
        String shown = s.length() <= 40 ? s : s.substring(0, 37) + "...";
        StringBuilder b = new StringBuilder();
        shown.chars().forEach(c -> b.append(Character.isSurrogate((char) c) ? "\\u" + Integer.toHexString(c) : String.valueOf((char) c)));
        return b.toString();
    }

    private static String kind(JsonNode n) {
        return n.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}
