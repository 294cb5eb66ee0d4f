package dev.warmpool.scaler.queuedepth;

import dev.warmpool.scaler.queuedepth.QueueDepthPolicy.Mode;
import dev.warmpool.scaler.queuedepth.QueueDepthPolicy.ScaleDownWhen;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads the name=value settings of the {@code queue-depth} policy. The messages use the setting names,
 * not the builder's method names, because that is what the reader wrote.
 */
final class QueueDepthSettings {
    static final String MODE = "mode";
    static final String SCALE_UP_THRESHOLD = "scale-up-threshold";
    static final String TARGET_PER_WORKER = "target-per-worker";
    static final String MAX_STEP = "max-step";
    static final String SCALE_DOWN_STABILIZATION = "scale-down-stabilization";
    static final String SCALE_DOWN_WHEN = "scale-down-when";

    /** The known settings, in the order the documentation lists them. */
    static final List<String> KNOWN = List.of(
            MODE, SCALE_UP_THRESHOLD, TARGET_PER_WORKER, MAX_STEP, SCALE_DOWN_STABILIZATION, SCALE_DOWN_WHEN);

    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d{1,18})(ms|s|m|h)");

    private QueueDepthSettings() {
    }

    static QueueDepthPolicy parse(Map<String, String> settings) {
        Objects.requireNonNull(settings, "settings");
        for (Map.Entry<String, String> e : settings.entrySet()) {
            if (e.getKey() == null || !KNOWN.contains(e.getKey())) {
                throw new IllegalArgumentException("unknown " + QueueDepthPolicyProvider.NAME + " setting '"
                        + e.getKey() + "'; the known settings are " + String.join(", ", KNOWN));
            }
            if (e.getValue() == null) {
                throw new IllegalArgumentException(e.getKey() + " has no value");
            }
        }

        QueueDepthPolicy.Builder b = QueueDepthPolicy.builder();
        Mode mode = Mode.STEP;
        String value = settings.get(MODE);
        if (value != null) {
            mode = oneOf(MODE, value, Mode.values(), Mode::settingValue);
            b.mode(mode);
        }
        value = settings.get(SCALE_UP_THRESHOLD);
        if (value != null) {
            onlyIn(Mode.STEP, mode, SCALE_UP_THRESHOLD, value, TARGET_PER_WORKER);
            b.scaleUpThreshold(wholeNumber(SCALE_UP_THRESHOLD, value, 0, ""));
        }
        value = settings.get(TARGET_PER_WORKER);
        if (value != null) {
            onlyIn(Mode.PROPORTIONAL, mode, TARGET_PER_WORKER, value, SCALE_UP_THRESHOLD);
            b.targetPerWorker(wholeNumber(TARGET_PER_WORKER, value, 1, ""));
        }
        value = settings.get(MAX_STEP);
        if (value != null) {
            if (value.strip().equalsIgnoreCase("unlimited")) {
                b.unlimitedStep();
            } else {
                b.maxStep(wholeNumber(MAX_STEP, value, 1, " or 'unlimited'"));
            }
        }
        value = settings.get(SCALE_DOWN_STABILIZATION);
        if (value != null) {
            b.scaleDownStabilization(duration(SCALE_DOWN_STABILIZATION, value));
        }
        value = settings.get(SCALE_DOWN_WHEN);
        if (value != null) {
            b.scaleDownWhen(oneOf(SCALE_DOWN_WHEN, value, ScaleDownWhen.values(), ScaleDownWhen::settingValue));
        }
        return b.build();
    }

    private static void onlyIn(Mode wanted, Mode mode, String name, String value, String instead) {
        if (mode != wanted) {
            throw new IllegalArgumentException(name + " is '" + value + "', but it applies to mode="
                    + wanted.settingValue() + " only, and mode is '" + mode.settingValue() + "'; use "
                    + instead + " instead");
        }
    }

    private static int wholeNumber(String name, String value, int least, String orElse) {
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= least) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below, with the same message as a number out of range
        }
        throw new IllegalArgumentException(
                name + " is '" + value + "', but must be a whole number ≥ " + least + orElse);
    }

    private static <E extends Enum<E>> E oneOf(String name, String value, E[] choices,
                                               java.util.function.Function<E, String> spelling) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        for (E e : choices) {
            if (spelling.apply(e).equals(v)) {
                return e;
            }
        }
        throw new IllegalArgumentException(name + " is '" + value + "', but must be one of "
                + Arrays.stream(choices).map(spelling).collect(Collectors.joining(", ")));
    }

    /**
     * Reads {@code 500ms}, {@code 300s}, {@code 5m}, {@code 1h}, {@code 0}, or ISO-8601 ({@code PT30S}).
     */
    static Duration duration(String name, String value) {
        String v = value.strip();
        try {
            Duration d = null;
            Matcher m = SIMPLE_DURATION.matcher(v);
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                d = switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                };
            } else if (v.equals("0")) {
                d = Duration.ZERO;
            } else if (v.startsWith("P") || v.startsWith("p")) {
                d = Duration.parse(v);
            }
            if (d != null && !d.isNegative()) {
                return d;
            }
        } catch (DateTimeParseException | ArithmeticException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " is '" + value + "', but must be a duration ≥ 0: a whole"
                + " number with ms, s, m or h (500ms, 300s, 5m) or ISO-8601 (PT30S)");
    }

    /** Writes a duration the way {@link #duration} reads it, in the largest whole unit. */
    static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        if (d.getNano() % 1_000_000 != 0) {
            return d.toString();
        }
        try {
            long ms = d.toMillis();
            if (ms % 3_600_000 == 0) {
                return ms / 3_600_000 + "h";
            }
            if (ms % 60_000 == 0) {
                return ms / 60_000 + "m";
            }
            if (ms % 1_000 == 0) {
                return ms / 1_000 + "s";
            }
            return ms + "ms";
        } catch (ArithmeticException tooLongForMillis) {
            return d.toString();
        }
    }
}
