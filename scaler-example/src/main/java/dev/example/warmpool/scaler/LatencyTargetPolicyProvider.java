package dev.example.warmpool.scaler;

import dev.example.warmpool.scaler.LatencyTargetPolicy.Percentile;
import dev.warmpool.api.spi.ScalingPolicy;
import dev.warmpool.api.spi.ScalingPolicyProvider;
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
 * Makes {@link LatencyTargetPolicy} available as {@value #NAME}. Settings:
 * <ul>
 *   <li>{@code target-wait}: the queue wait to aim at, such as {@code 100ms} (the default), {@code 2s} or
 *       {@code PT0.5S};</li>
 *   <li>{@code percentile}: {@code p50}, {@code p90}, {@code p99} (the default) or {@code p999};</li>
 *   <li>{@code idle-fraction}: shrink while more than this fraction of the workers are idle, from
 *       {@code 0} to {@code 1} ({@code 0.5} by default).</li>
 * </ul>
 *
 * <p>Found by {@link java.util.ServiceLoader} through this module's {@code provides} clause on the module
 * path and through {@code META-INF/services} on the class path. Stateless and thread-safe.
 */
public final class LatencyTargetPolicyProvider implements ScalingPolicyProvider {
    /** The name a configuration selects this policy by. */
    public static final String NAME = "latency-target";

    static final String TARGET_WAIT = "target-wait";
    static final String PERCENTILE = "percentile";
    static final String IDLE_FRACTION = "idle-fraction";
    private static final List<String> KNOWN = List.of(TARGET_WAIT, PERCENTILE, IDLE_FRACTION);

    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d{1,12})(ms|s|m)");

    /** Called by {@link java.util.ServiceLoader}. */
    public LatencyTargetPolicyProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * @param settings {@code target-wait}, {@code percentile} and {@code idle-fraction}, each optional
     * @return a policy; it is immutable, so equal settings give equal policies
     * @throws IllegalArgumentException if a setting is unknown or its value is bad; the message names the
     *     setting and echoes the value
     */
    @Override
    public ScalingPolicy create(Map<String, String> settings) {
        Objects.requireNonNull(settings, "settings");
        for (Map.Entry<String, String> e : settings.entrySet()) {
            if (!KNOWN.contains(e.getKey())) {
                throw new IllegalArgumentException("unknown " + NAME + " setting '" + e.getKey()
                        + "'; the known settings are " + String.join(", ", KNOWN));
            }
            if (e.getValue() == null) {
                throw new IllegalArgumentException(e.getKey() + " has no value");
            }
        }
        LatencyTargetPolicy d = LatencyTargetPolicy.DEFAULTS;
        String wait = settings.get(TARGET_WAIT);
        String percentile = settings.get(PERCENTILE);
        String idle = settings.get(IDLE_FRACTION);
        return new LatencyTargetPolicy(
                wait == null ? d.targetWait() : positiveDuration(wait),
                percentile == null ? d.percentile() : percentile(percentile),
                idle == null ? d.idleFraction() : fraction(idle));
    }

    private static Duration positiveDuration(String value) {
        String v = value.strip();
        Duration d = null;
        Matcher m = SIMPLE_DURATION.matcher(v);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                default -> Duration.ofMinutes(n);
            };
        } else if (v.startsWith("P") || v.startsWith("p")) {
            try {
                d = Duration.parse(v);
            } catch (DateTimeParseException e) {
                // reported below
            }
        }
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(TARGET_WAIT + " is '" + value
                    + "', but must be a positive duration such as 100ms, 2s or PT0.5S");
        }
        return d;
    }

    private static Percentile percentile(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        for (Percentile p : Percentile.values()) {
            if (p.settingValue().equals(v)) {
                return p;
            }
        }
        throw new IllegalArgumentException(PERCENTILE + " is '" + value + "', but must be one of "
                + Arrays.stream(Percentile.values()).map(Percentile::settingValue).collect(Collectors.joining(", ")));
    }

    private static double fraction(String value) {
        try {
            double f = Double.parseDouble(value.strip());
            if (f >= 0 && f <= 1) {
                return f;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(IDLE_FRACTION + " is '" + value
                + "', but must be a number from 0 to 1, such as 0.5");
    }

    @Override
    public String toString() {
        return "LatencyTargetPolicyProvider[" + NAME + "]";
    }
}
