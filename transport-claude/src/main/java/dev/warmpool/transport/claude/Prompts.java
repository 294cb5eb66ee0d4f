package dev.warmpool.transport.claude;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serial;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Turns a call into the text of one user turn: {@code execute_handler} through the prompt template,
 * {@code prompt} as it is.
 */
final class Prompts {
    /** The method of the original listener's plan: params {@code {"handler_name":…,"event":…}}. */
    static final String EXECUTE_HANDLER = "execute_handler";
    /** A plain prompt: params a string or {@code {"prompt":…}}. */
    static final String PROMPT = "prompt";

    /**
     * A handler name becomes a slash command, so it must be one word: letters, digits, {@code _},
     * {@code -}, {@code .}, and {@code :} for namespaced commands such as {@code frontend:review}.
     */
    private static final Pattern HANDLER_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.:-]*");

    /** A call the worker cannot turn into a prompt; becomes a {@code WorkerErrorException} with the code. */
    static final class Rejected extends Exception {
        @Serial
        private static final long serialVersionUID = 1L;
        private final int code;

        Rejected(int code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        int code() {
            return code;
        }
    }

    private Prompts() {
    }

    /**
     * @param method the call's method
     * @param params the call's params (maps, lists, records, a string, a JSON tree), or {@code null}
     * @param template the prompt template with {@code {handler}} and {@code {event}}
     * @return the text of the user turn
     * @throws Rejected with -32601 for an unknown method, -32602 for bad params
     */
    static String render(String method, @Nullable Object params, String template) throws Rejected {
        return switch (method) {
            case EXECUTE_HANDLER -> handler(params, template);
            case PROMPT -> prompt(params);
            default -> throw new Rejected(ClaudeTransport.METHOD_NOT_FOUND, "the claude transport has no method '"
                    + method + "'; it answers " + EXECUTE_HANDLER + " ({\"handler_name\":…,\"event\":…}) and "
                    + PROMPT + " (a string or {\"prompt\":…})");
        };
    }

    private static @Nullable JsonNode tree(@Nullable Object params) throws Rejected {
        if (params == null) {
            return null;
        }
        try {
            return StreamJson.MAPPER.valueToTree(params);
        } catch (IllegalArgumentException e) {
            throw new Rejected(ClaudeTransport.INVALID_PARAMS, "the params (a " + params.getClass().getName()
                    + ") cannot be turned into JSON: " + e.getMessage());
        }
    }

    private static String handler(@Nullable Object params, String template) throws Rejected {
        JsonNode p = tree(params);
        if (p == null || !p.isObject()) {
            throw new Rejected(ClaudeTransport.INVALID_PARAMS, EXECUTE_HANDLER
                    + " needs params {\"handler_name\":\"…\",\"event\":{…}}, but got " + describe(p));
        }
        JsonNode name = p.path("handler_name");
        if (!name.isTextual() || !HANDLER_NAME.matcher(name.asText()).matches()) {
            throw new Rejected(ClaudeTransport.INVALID_PARAMS, EXECUTE_HANDLER + " needs handler_name, the name of a "
                    + "command (letters, digits, _ - . :), but got " + describe(name.isMissingNode() ? null : name));
        }
        JsonNode event = p.get("event");
        String eventJson;
        try {
            eventJson = event == null ? "{}" : StreamJson.MAPPER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new Rejected(ClaudeTransport.INVALID_PARAMS, "the event cannot be written as JSON: " + e.getMessage());
        }
        return fill(template, name.asText(), eventJson);
    }

    /** Replaces every {@code {handler}} and {@code {event}}; leaves any other text, braces included, alone. */
    static String fill(String template, String handler, String eventJson) {
        StringBuilder sb = new StringBuilder(template.length() + handler.length() + eventJson.length());
        int i = 0;
        while (i < template.length()) {
            if (template.startsWith("{handler}", i)) {
                sb.append(handler);
                i += "{handler}".length();
            } else if (template.startsWith("{event}", i)) {
                sb.append(eventJson);
                i += "{event}".length();
            } else {
                sb.append(template.charAt(i++));
            }
        }
        return sb.toString();
    }

    private static String prompt(@Nullable Object params) throws Rejected {
        if (params instanceof String s) {
            return nonBlank(s);
        }
        JsonNode p = tree(params);
        if (p != null && p.isTextual()) {
            return nonBlank(p.asText());
        }
        if (p != null && p.isObject() && p.path(PROMPT).isTextual()) {
            return nonBlank(p.path(PROMPT).asText());
        }
        throw new Rejected(ClaudeTransport.INVALID_PARAMS, PROMPT + " needs params that are a string or "
                + "{\"prompt\":\"…\"}, but got " + describe(p));
    }

    private static String nonBlank(String s) throws Rejected {
        if (s.isBlank()) {
            throw new Rejected(ClaudeTransport.INVALID_PARAMS, "the prompt is blank");
        }
        return s;
    }

    private static String describe(@Nullable JsonNode n) {
        if (n == null || n.isNull()) {
            return "null";
        }
        String s = n.toString();
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}
