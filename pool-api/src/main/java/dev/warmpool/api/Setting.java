package dev.warmpool.api;

import java.util.Map;

/**
 * An option's value and where it came from, which messages and {@code toString()} name.
 *
 * @param value the value
 * @param origin who gave it; a later origin wins when two disagree
 * @param source how a message names the origin: empty for a value given to the builder, {@code default},
 *     {@code from HANDLER_POOL_MAX}, or how a default or a variable was adjusted to make room for another value
 */
record Setting(Object value, Origin origin, String source) {
    /** Who gave a value, weakest first. */
    enum Origin {
        /** Nobody: the option's default. */
        DEFAULT,
        /** An environment variable read by {@link PoolConfig#fromEnvironment()}. */
        ENVIRONMENT,
        /** The program, through the builder (or the configuration {@code toBuilder()} copied). */
        GIVEN
    }

    /**
     * @param settings a built configuration's settings, which hold every option
     * @param option an option
     * @return its setting
     * @throws IllegalStateException if {@code settings} has none for it, which a built configuration never lacks
     */
    static Setting in(Map<ConfigOption<?>, Setting> settings, ConfigOption<?> option) {
        Setting s = settings.get(option);
        if (s == null) {
            throw new IllegalStateException("no setting for " + option.name() + " among " + settings.keySet());
        }
        return s;
    }

    static Setting fallback(ConfigOption<?> option) {
        return new Setting(option.fallback(), Origin.DEFAULT, "default");
    }

    /** {@return " (default)", " (from HANDLER_POOL_MAX)", or nothing for a given value: the suffix a message puts after the value} */
    String suffix() {
        return source.isEmpty() ? "" : " (" + source + ")";
    }

    /**
     * Moves this value to make room for a stronger one, keeping the story in the source.
     *
     * @param to the new value
     * @param verb "raised" or "lowered"
     * @param other the option whose value this one moves to
     * @param otherSetting that option's setting
     * @return the adjusted setting
     */
    Setting adjusted(int to, String verb, ConfigOption<?> other, Setting otherSetting) {
        String was = origin == Origin.DEFAULT ? "default " + value : source.replace("from ", "") + "=" + value;
        String why = otherSetting.source().isEmpty() ? "" : " " + otherSetting.source();
        return new Setting(to, origin, was + ", " + verb + " to " + other.name() + " " + to + why);
    }
}
