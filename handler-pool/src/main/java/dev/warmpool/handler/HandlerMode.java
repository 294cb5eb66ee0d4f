package dev.warmpool.handler;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a {@link HandlerPool} serves events, set by {@value #ENV} or
 * {@link HandlerPool.Builder#mode(HandlerMode)}.
 */
public enum HandlerMode {
    /** Warm workers only. If they cannot be started, {@link HandlerPool#start()} fails; events the pool turns away are rejected. */
    POOL,
    /** A cold {@code claude -p} per event, no warm pool: the rollout switch, and the plan's behaviour before warmpool. */
    SPAWN,
    /**
     * Warm workers, and cold runs while the pool cannot keep workers up (they fail to start, or keep
     * failing): the default. Switches back to warm as soon as a worker starts again.
     */
    AUTO;

    /** The environment variable that chooses the mode. */
    public static final String ENV = "HANDLER_POOL_MODE";

    /** {@return how {@value #ENV} spells this mode: {@code pool}, {@code spawn} or {@code auto}} */
    public String settingValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads a mode as {@value #ENV} spells it.
     *
     * @param value {@code pool}, {@code spawn} or {@code auto}, in any case, blanks around ignored
     * @return the mode
     * @throws IllegalArgumentException naming {@value #ENV}, the value and the valid ones
     */
    public static HandlerMode parse(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        for (HandlerMode m : values()) {
            if (m.settingValue().equals(v)) {
                return m;
            }
        }
        throw new IllegalArgumentException("environment variable " + ENV + " is '" + value + "', but must be one of "
                + Arrays.stream(values()).map(HandlerMode::settingValue).collect(Collectors.joining(", ")));
    }
}
