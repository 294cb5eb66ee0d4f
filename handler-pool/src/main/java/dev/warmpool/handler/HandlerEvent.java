package dev.warmpool.handler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One event bound for a handler, checked once and written once, so the warm and the cold path send
 * the CLI the same text: {@code /<handler> <event as compact JSON>}, the plan's prompt.
 *
 * @param handler the handler's name, a slash command
 * @param event the event as a JSON tree ({@code {}} for none)
 * @param prompt the text of the turn
 */
record HandlerEvent(String handler, JsonNode event, String prompt) {
    static final ObjectMapper JSON = new ObjectMapper();
    /** The transport's method for the plan's call; its params are {@code {"handler_name":…,"event":…}}. */
    static final String METHOD = "execute_handler";

    /**
     * A handler name becomes a slash command, so it is one word: letters, digits, {@code _ - . :}
     * (the claude transport checks the same).
     */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.:-]*");

    HandlerEvent {
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(prompt, "prompt");
    }

    /**
     * @param handler the handler's name
     * @param event the event: a map, a list, a record or bean Jackson can write, a JSON tree, a string; {@code null} for {@code {}}
     * @return the checked event
     * @throws IllegalArgumentException if the name is not a command name or the event cannot be written as JSON
     */
    static HandlerEvent of(String handler, @Nullable Object event) {
        if (handler == null || !NAME.matcher(handler).matches()) {
            throw new IllegalArgumentException("handler name '" + handler + "' is not the name of a command: use letters, "
                    + "digits and _ - . : (the file .claude/commands/<name>.md of the project)");
        }
        JsonNode tree;
        String json;
        try {
            tree = event == null ? JSON.createObjectNode() : JSON.valueToTree(event);
            json = JSON.writeValueAsString(tree);
        } catch (IllegalArgumentException | JsonProcessingException e) {
            // only a given event fails here (an absent one is an empty object), but the compiler cannot tell
            throw new IllegalArgumentException("the event for handler '" + handler + "' ("
                    + (event == null ? "none" : "a " + event.getClass().getName()) + ") cannot be written as JSON: "
                    + e.getMessage(), e);
        }
        return new HandlerEvent(handler, tree, "/" + handler + " " + json);
    }

    /** @return the params of the transport's {@value #METHOD} call */
    Map<String, Object> params() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("handler_name", handler);
        p.put("event", event);
        return p;
    }
}
