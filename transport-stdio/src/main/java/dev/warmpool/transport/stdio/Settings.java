package dev.warmpool.transport.stdio;

import dev.warmpool.api.spi.WorkerSpec;
import dev.warmpool.api.WorkerStartException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Checks transport settings and merges them into a spec. */
final class Settings {
    private Settings() {
    }

    /**
     * @param transport the transport's name, for the message
     * @param settings the settings to check
     * @param known the setting names the transport understands
     * @return the settings, copied
     * @throws IllegalArgumentException naming an unknown setting and the known ones, or a bad value
     */
    static Map<String, String> check(String transport, Map<String, String> settings, Set<String> known) {
        for (Map.Entry<String, String> e : settings.entrySet()) {
            if (!known.contains(e.getKey())) {
                throw new IllegalArgumentException("unknown setting '" + e.getKey() + "' (value '" + e.getValue()
                        + "') for the " + transport + " transport; known settings: " + String.join(", ", new TreeSet<>(known)));
            }
        }
        WorkerProcess.processGroup(settings);
        return Map.copyOf(settings);
    }

    /**
     * @return {@code spec} with the transport's settings under the spec's own (the spec's win)
     * @throws WorkerStartException if the spec's settings are bad
     */
    static WorkerSpec merge(String transport, Map<String, String> defaults, WorkerSpec spec, Set<String> known) {
        try {
            check(transport, spec.settings(), known);
        } catch (IllegalArgumentException e) {
            throw new WorkerStartException("cannot start worker " + spec.id() + ": " + e.getMessage(), List.of(), e);
        }
        if (defaults.isEmpty()) {
            return spec;
        }
        Map<String, String> merged = new LinkedHashMap<>(defaults);
        merged.putAll(spec.settings());
        return new WorkerSpec(spec.id(), spec.command(), spec.environment(), spec.directory(), spec.startTimeout(),
                spec.maxFrameBytes(), spec.strictOutput(), spec.stderrTailLines(), merged);
    }

    /** Formats a duration for a message: "5 s", "250 ms". */
    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms >= 1000 && ms % 1000 == 0) {
            return ms / 1000 + " s";
        }
        if (ms >= 1000) {
            return String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        return ms + " ms";
    }
}
