package dev.warmpool.transport.claude;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code claude} transport's settings, checked. See {@link ClaudeTransport} for what each means.
 *
 * @param promptTemplate the text of the user turn for {@code execute_handler}, with {@code {handler}}
 *     and {@code {event}} placeholders
 * @param reset what happens to the conversation after each turn
 * @param handshake whether readiness waits for the CLI to answer an {@code initialize} control request
 * @param passThrough settings handed on unchanged to the process layer ({@code processGroup})
 */
record ClaudeSettings(String promptTemplate, Reset reset, boolean handshake, Map<String, String> passThrough) {
    static final String PROMPT_TEMPLATE = "prompt-template";
    static final String RESET = "reset";
    static final String READY = "ready";
    /** Read by {@code WorkerProcess}: {@code false} starts the CLI without {@code setsid}. */
    static final String PROCESS_GROUP = "processGroup";
    static final Set<String> NAMES = Set.of(PROMPT_TEMPLATE, RESET, READY, PROCESS_GROUP);

    static final String DEFAULT_TEMPLATE = "/{handler} {event}";

    /** How a worker's conversation is reset between calls. */
    enum ResetMode {
        /** {@code /clear} after every turn. */
        CLEAR,
        /** One conversation for the worker's life. */
        KEEP,
        /** One conversation, and the worker is replaced after N turns. */
        RECYCLE
    }

    /**
     * @param mode the mode
     * @param turns for {@link ResetMode#RECYCLE}, the turns a worker serves; 0 otherwise
     */
    record Reset(ResetMode mode, int turns) {
        static final Reset CLEAR = new Reset(ResetMode.CLEAR, 0);
        static final Reset KEEP = new Reset(ResetMode.KEEP, 0);

        @Override
        public String toString() {
            return mode == ResetMode.RECYCLE ? "recycle:" + turns : mode.name().toLowerCase(Locale.ROOT);
        }
    }

    ClaudeSettings {
        Objects.requireNonNull(promptTemplate, "promptTemplate");
        Objects.requireNonNull(reset, "reset");
        passThrough = Map.copyOf(passThrough);
    }

    static final ClaudeSettings DEFAULTS = new ClaudeSettings(DEFAULT_TEMPLATE, Reset.CLEAR, true, Map.of());

    /**
     * @param settings name to value
     * @return the checked settings, defaults for those not given
     * @throws IllegalArgumentException naming an unknown setting and the known ones, or a bad value and the valid ones
     */
    static ClaudeSettings parse(Map<String, String> settings) {
        Objects.requireNonNull(settings, "settings");
        for (Map.Entry<String, String> e : settings.entrySet()) {
            if (!NAMES.contains(e.getKey())) {
                throw new IllegalArgumentException("unknown setting '" + e.getKey() + "' (value '" + e.getValue()
                        + "') for the claude transport; known settings: " + String.join(", ", new TreeSet<>(NAMES))
                        + ". CLI options such as --model go into the pool's command, after the claude program");
            }
        }
        String template = settings.getOrDefault(PROMPT_TEMPLATE, DEFAULT_TEMPLATE);
        if (template.isBlank()) {
            throw new IllegalArgumentException("setting " + PROMPT_TEMPLATE + " is '" + template
                    + "', but must be a non-blank text such as '" + DEFAULT_TEMPLATE + "'");
        }
        Reset reset = parseReset(settings.getOrDefault(RESET, "clear"));
        boolean handshake = parseReady(settings.getOrDefault(READY, "initialize"));
        Map<String, String> pass = new LinkedHashMap<>();
        String group = settings.get(PROCESS_GROUP);
        if (group != null) {
            String g = group.trim().toLowerCase(Locale.ROOT);
            if (!g.equals("true") && !g.equals("false")) {
                throw new IllegalArgumentException("setting " + PROCESS_GROUP + " is '" + group
                        + "', but must be true or false");
            }
            pass.put(PROCESS_GROUP, g);
        }
        return new ClaudeSettings(template, reset, handshake, pass);
    }

    /** @return these settings with {@code overrides} parsed over them (an override wins) */
    ClaudeSettings with(Map<String, String> overrides) {
        if (overrides.isEmpty()) {
            return this;
        }
        Map<String, String> merged = new LinkedHashMap<>(asMap());
        merged.putAll(overrides);
        return parse(merged);
    }

    /** @return the settings as the name-to-value map {@link #parse} reads */
    Map<String, String> asMap() {
        Map<String, String> m = new LinkedHashMap<>(passThrough);
        m.put(PROMPT_TEMPLATE, promptTemplate);
        m.put(RESET, reset.toString());
        m.put(READY, handshake ? "initialize" : "started");
        return m;
    }

    private static Reset parseReset(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        switch (v) {
            case "clear" -> {
                return Reset.CLEAR;
            }
            case "keep" -> {
                return Reset.KEEP;
            }
            default -> {
                // recycle:N, or a bad value
            }
        }
        if (v.startsWith("recycle:")) {
            String n = v.substring("recycle:".length()).trim();
            try {
                int turns = Integer.parseInt(n);
                if (turns >= 1) {
                    return new Reset(ResetMode.RECYCLE, turns);
                }
            } catch (NumberFormatException e) {
                // reported below with the valid forms
            }
        }
        throw new IllegalArgumentException("setting " + RESET + " is '" + value
                + "', but must be one of: clear, keep, recycle:N (N a whole number of turns, at least 1)");
    }

    private static boolean parseReady(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "initialize" -> true;
            case "started" -> false;
            default -> throw new IllegalArgumentException("setting " + READY + " is '" + value
                    + "', but must be one of: " + String.join(", ", List.of("initialize", "started")));
        };
    }
}
