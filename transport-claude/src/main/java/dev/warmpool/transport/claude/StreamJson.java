package dev.warmpool.transport.claude;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Claude Code CLI's stream-json protocol: the lines warmpool writes to its stdin and the
 * reading of the lines it prints. Everything is read as a tree and unknown fields and message
 * types are ignored, because the CLI adds them often.
 */
final class StreamJson {
    /** Lenient: the CLI adds fields and message types between releases. */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** What the CLI answers to an unknown slash command, as a successful turn with no model turn. */
    static final String UNKNOWN_COMMAND_PREFIX = "Unknown command: ";

    private StreamJson() {
    }

    /**
     * @param text the user's text
     * @return {@code {"type":"user","message":{"role":"user","content":[{"type":"text","text":…}]}}}
     */
    static byte[] userMessage(String text) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("type", "user");
        ObjectNode message = root.putObject("message");
        message.put("role", "user");
        ArrayNode content = message.putArray("content");
        content.addObject().put("type", "text").put("text", text);
        return bytes(root);
    }

    /**
     * @param requestId the id the answer will carry
     * @param subtype e.g. {@code interrupt}, {@code initialize}, {@code mcp_status}
     * @return {@code {"type":"control_request","request_id":…,"request":{"subtype":…}}}
     */
    static byte[] controlRequest(String requestId, String subtype) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("type", "control_request");
        root.put("request_id", requestId);
        root.putObject("request").put("subtype", subtype);
        return bytes(root);
    }

    /**
     * @param requestId the id of the CLI's control request
     * @param error why it is refused
     * @return a {@code control_response} of subtype {@code error}
     */
    static byte[] controlError(String requestId, String error) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("type", "control_response");
        ObjectNode response = root.putObject("response");
        response.put("subtype", "error");
        response.put("request_id", requestId);
        response.put("error", error);
        return bytes(root);
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON tree", e);
        }
    }

    /**
     * @param line one line of the CLI's stdout
     * @return the line as a JSON object, or empty if it is not one
     */
    static Optional<JsonNode> parse(byte[] line) {
        try {
            JsonNode node = MAPPER.readTree(line);
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** @return the message's {@code type}, or {@code ""} */
    static String type(JsonNode message) {
        return message.path("type").asText("");
    }

    /** @return the message's {@code subtype}, or {@code ""} */
    static String subtype(JsonNode message) {
        return message.path("subtype").asText("");
    }

    /**
     * @param node a JSON tree
     * @return the same as plain Java values: maps, lists, strings, numbers, booleans and {@code null}
     */
    static Object toJava(JsonNode node) {
        return MAPPER.convertValue(node, Object.class);
    }

    /**
     * One {@code result} message, read.
     *
     * @param result the typed result, its cost already this turn's own
     * @param failed whether the turn failed ({@code is_error} or a subtype other than {@code success})
     * @param message for a failed turn, what went wrong: the CLI's {@code result} text, or its
     *     {@code errors}, or the subtype
     * @param cumulativeCost the CLI's {@code total_cost_usd}, a running total for the process
     * @param numTurns the CLI's {@code num_turns} (0 when no model turn ran, e.g. a slash command it handled itself)
     * @param raw the whole message
     */
    record Turn(ClaudeResult result, boolean failed, String message, double cumulativeCost, int numTurns,
                JsonNode raw) {
        /** @return whether this is the CLI's answer to an unknown slash command */
        boolean isUnknownCommand() {
            return !failed && numTurns == 0 && result.output().startsWith(UNKNOWN_COMMAND_PREFIX);
        }
    }

    /**
     * Reads a {@code result} message.
     *
     * @param message the message, whose type is {@code result}
     * @param previousCost the process's running total cost before this turn
     * @return the turn's outcome
     */
    static Turn result(JsonNode message, double previousCost) {
        String subtype = subtype(message);
        boolean isError = message.path("is_error").asBoolean(false);
        boolean failed = isError || !subtype.equals("success");
        JsonNode r = message.path("result");
        String output = r.isMissingNode() || r.isNull() ? "" : r.isTextual() ? r.asText() : r.toString();
        double cumulative = message.path("total_cost_usd").asDouble(0);
        // a running total never shrinks; if it did, the CLI reports per turn after all
        double cost = cumulative >= previousCost ? cumulative - previousCost : cumulative;
        ClaudeResult result = new ClaudeResult(!failed, output, isError, subtype,
                message.path("duration_ms").asLong(0), cost, message.path("session_id").asText(""));
        String why = "";
        if (failed) {
            why = output.isBlank() ? errors(message) : output;
            if (why.isBlank()) {
                why = "the turn ended with subtype " + (subtype.isEmpty() ? "(none)" : subtype)
                        + (isError ? " and is_error true" : "");
            }
        }
        return new Turn(result, failed, why, cumulative, message.path("num_turns").asInt(0), message);
    }

    private static String errors(JsonNode message) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : message.path("errors")) {
            out.add(e.isTextual() ? e.asText() : e.toString());
        }
        return String.join("; ", out);
    }
}
