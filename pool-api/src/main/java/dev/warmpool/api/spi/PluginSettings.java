package dev.warmpool.api.spi;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads a plugin's {@code name=value} settings, and single values such as an environment variable or a
 * command-line option, with the messages warmpool gives everywhere: each names the setting and where it
 * is set, echoes the value, and says what would be accepted.
 *
 * <p>A provider wraps the map its {@code create} method gets, rejects the names it does not know, and
 * reads each value:
 * {@snippet :
 * PluginSettings s = PluginSettings.forScalingPolicy("latency-target", settings)
 *         .allowOnly(List.of("target-wait", "percentile"));
 * Duration wait = s.positiveDuration("target-wait").orElse(Duration.ofMillis(100));
 * }
 * A bad value fails with {@link IllegalArgumentException}, for example {@code latency-target scaling
 * setting target-wait is 'soon', but must be a duration > 0: seconds (30, 1.5), a number with a unit
 * (500ms, 30s, 5m, 1h) or ISO-8601 (PT30S)}.
 *
 * <p>Durations are read in the format {@link dev.warmpool.api.Durations#format} writes, so a value
 * copied from a message reads back. Immutable and thread-safe.
 */
public final class PluginSettings {
    private static final Pattern DURATION =
            Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ns|us|µs|ms|s|sec|m|min|h|d)?");
    private static final Pattern WHOLE = Pattern.compile("[+-]?\\d+");
    private static final String DURATION_FORMS =
            ": seconds (30, 1.5), a number with a unit (500ms, 30s, 5m, 1h) or ISO-8601 (PT30S)";

    private final String label;
    private final Map<String, String> values;

    private PluginSettings(String label, Map<String, String> values) {
        this.label = label;
        this.values = values;
    }

    /**
     * Wraps settings whose messages start with {@code label}, such as {@code "claude transport setting"}.
     *
     * @param label what a setting is called in messages; the setting's name follows it
     * @param settings the settings, name to value
     * @return the wrapper
     * @throws IllegalArgumentException if a name or value is {@code null}
     */
    public static PluginSettings of(String label, Map<String, String> settings) {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(settings, "settings");
        Map<String, String> copy = new TreeMap<>();
        settings.forEach((name, value) -> {
            if (name == null || value == null) {
                throw new IllegalArgumentException(label + " " + name + " has no " + (name == null ? "name" : "value"));
            }
            copy.put(name, value);
        });
        return new PluginSettings(label, copy);
    }

    /**
     * Wraps a scaling policy's settings ({@code PoolConfig.Builder#scalingSetting}).
     *
     * @param policy the policy's provider name, such as {@code "queue-depth"}
     * @param settings the settings, name to value
     * @return the wrapper; its messages say "{@code queue-depth scaling setting max-step is ...}"
     */
    public static PluginSettings forScalingPolicy(String policy, Map<String, String> settings) {
        return of(policy + " scaling setting", settings);
    }

    /**
     * Wraps a transport's settings ({@code PoolConfig.Builder#transportSetting}).
     *
     * @param transport the transport's provider name, such as {@code "line"}
     * @param settings the settings, name to value
     * @return the wrapper; its messages say "{@code line transport setting framing is ...}"
     */
    public static PluginSettings forTransport(String transport, Map<String, String> settings) {
        return of(transport + " transport setting", settings);
    }

    /**
     * Rejects every setting whose name is not in {@code known}.
     *
     * @param known the names the plugin reads, in the order its documentation lists them
     * @return this
     * @throws IllegalArgumentException for the first unknown name: the message suggests the nearest
     *     known name, if one is close, and lists the known ones
     */
    public PluginSettings allowOnly(Collection<String> known) {
        for (String name : values.keySet()) {
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown " + label + " '" + name + "'"
                        + nearest(name, known).map(n -> "; did you mean '" + n + "'? The").orElse("; the")
                        + " known settings are " + (known.isEmpty() ? "none" : String.join(", ", known)));
            }
        }
        return this;
    }

    /** {@return the names that are set, sorted} */
    public List<String> names() {
        return List.copyOf(values.keySet());
    }

    /**
     * Returns a setting's text as given.
     *
     * @param name the setting
     * @return its value, if set
     */
    public Optional<String> text(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /**
     * Reads a duration of zero or more.
     *
     * @param name the setting
     * @return the duration, if set
     * @throws IllegalArgumentException if the value is not a duration ≥ 0
     */
    public Optional<Duration> duration(String name) {
        return text(name).map(v -> parseDuration(what(name), v));
    }

    /**
     * Reads a duration above zero.
     *
     * @param name the setting
     * @return the duration, if set
     * @throws IllegalArgumentException if the value is not a duration &gt; 0
     */
    public Optional<Duration> positiveDuration(String name) {
        return text(name).map(v -> parsePositiveDuration(what(name), v));
    }

    /**
     * Reads a whole number within bounds.
     *
     * @param name the setting
     * @param least the smallest value accepted
     * @param most the largest value accepted
     * @return the number, if set
     * @throws IllegalArgumentException if the value is not a whole number, or is out of bounds
     */
    public OptionalInt wholeNumber(String name, int least, int most) {
        String v = values.get(name);
        return v == null ? OptionalInt.empty() : OptionalInt.of(parseWholeNumber(what(name), v, least, most));
    }

    /**
     * Reads a number, with or without decimals, within bounds.
     *
     * @param name the setting
     * @param least the smallest value accepted
     * @param most the largest value accepted
     * @return the number, if set
     * @throws IllegalArgumentException if the value is not a number from {@code least} to {@code most}
     */
    public OptionalDouble decimal(String name, double least, double most) {
        String v = values.get(name);
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(parseDecimal(what(name), v, least, most));
    }

    /**
     * Reads one of a fixed set of words, ignoring case and surrounding spaces.
     *
     * @param name the setting
     * @param choices the values accepted
     * @param spelling how the setting spells each choice (lower case)
     * @param <E> the type of the choices
     * @return the choice, if set
     * @throws IllegalArgumentException if the value is none of the choices; the message lists them
     */
    public <E> Optional<E> oneOf(String name, List<E> choices, Function<E, String> spelling) {
        return text(name).map(v -> parseChoice(what(name), v, choices, spelling));
    }

    private String what(String name) {
        return label + " " + name;
    }

    /**
     * Reads a duration of zero or more: a number of seconds ({@code 30}, {@code 1.5}), a number with a
     * unit ({@code 500ms}, {@code 30 s}, {@code 5m}, {@code 1h}; also {@code ns}, {@code µs}, {@code min},
     * {@code d}), or ISO-8601 ({@code PT30S}); case and surrounding spaces are ignored.
     *
     * @param what where the value comes from, for the message, such as {@code "option '--timeout'"}
     * @param value the text
     * @return the duration
     * @throws IllegalArgumentException naming {@code what} and echoing the value if it is not a duration ≥ 0
     */
    public static Duration parseDuration(String what, String value) {
        return duration(what, value, "≥ 0");
    }

    /**
     * Like {@link #parseDuration}, for a duration above zero.
     *
     * @param what where the value comes from, for the message
     * @param value the text
     * @return the duration
     * @throws IllegalArgumentException naming {@code what} and echoing the value if it is not a duration &gt; 0
     */
    public static Duration parsePositiveDuration(String what, String value) {
        Duration d = duration(what, value, "> 0");
        if (d.isZero()) {
            throw new IllegalArgumentException(what + " is '" + value + "', but must be a duration > 0");
        }
        return d;
    }

    private static Duration duration(String what, String value, String bound) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        try {
            if (v.startsWith("p")) {
                Duration d = Duration.parse(v.toUpperCase(Locale.ROOT));
                if (!d.isNegative()) {
                    return d;
                }
            } else {
                Matcher m = DURATION.matcher(v);
                if (m.matches()) {
                    return ofSeconds(new BigDecimal(m.group(1)).multiply(secondsPer(m.group(2))));
                }
            }
        } catch (DateTimeParseException e) {
            // reported below, with the forms that are accepted
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(what + " is '" + value + "', but that is too large: the most is "
                    + Long.MAX_VALUE + " s", e);
        }
        throw new IllegalArgumentException(what + " is '" + value + "', but must be a duration " + bound + DURATION_FORMS);
    }

    private static BigDecimal secondsPer(String unit) {
        return switch (unit == null ? "s" : unit) {
            case "ns" -> BigDecimal.ONE.movePointLeft(9);
            case "us", "µs" -> BigDecimal.ONE.movePointLeft(6);
            case "ms" -> BigDecimal.ONE.movePointLeft(3);
            case "m", "min" -> BigDecimal.valueOf(60);
            case "h" -> BigDecimal.valueOf(3600);
            case "d" -> BigDecimal.valueOf(86_400);
            default -> BigDecimal.ONE;
        };
    }

    private static Duration ofSeconds(BigDecimal seconds) {
        BigDecimal whole = seconds.setScale(0, java.math.RoundingMode.DOWN);
        BigDecimal nanos = seconds.subtract(whole).movePointRight(9);
        if (nanos.stripTrailingZeros().scale() > 0) {
            throw new DateTimeParseException("finer than a nanosecond", seconds.toPlainString(), 0);
        }
        return Duration.ofSeconds(whole.longValueExact(), nanos.longValueExact());
    }

    /**
     * Reads a whole number within bounds.
     *
     * @param what where the value comes from, for the message, such as {@code "environment variable HANDLER_POOL_SIZE"}
     * @param value the text; surrounding spaces are ignored
     * @param least the smallest value accepted
     * @param most the largest value accepted
     * @return the number
     * @throws IllegalArgumentException naming {@code what} and echoing the value: "must be a whole number",
     *     "must be at least", or "too large"
     */
    public static int parseWholeNumber(String what, String value, int least, int most) {
        String v = value.strip();
        if (!WHOLE.matcher(v).matches()) {
            throw new IllegalArgumentException(what + " is '" + value + "', but must be a whole number "
                    + (most == Integer.MAX_VALUE ? "≥ " + least : "from " + least + " to " + most));
        }
        BigInteger n = new BigInteger(v);
        if (n.compareTo(BigInteger.valueOf(most)) > 0) {
            throw new IllegalArgumentException(what + " is '" + value + "', but that is too large: the most is " + most);
        }
        if (n.compareTo(BigInteger.valueOf(least)) < 0) {
            throw new IllegalArgumentException(what + " is '" + value + "', but must be at least " + least);
        }
        return n.intValueExact();
    }

    /**
     * Reads a number, with or without decimals, within bounds.
     *
     * @param what where the value comes from, for the message
     * @param value the text; surrounding spaces are ignored
     * @param least the smallest value accepted
     * @param most the largest value accepted
     * @return the number
     * @throws IllegalArgumentException naming {@code what} and echoing the value if it is not a number in bounds
     */
    public static double parseDecimal(String what, String value, double least, double most) {
        try {
            double d = Double.parseDouble(value.strip());
            if (d >= least && d <= most) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(what + " is '" + value + "', but must be a number from "
                + plain(least) + " to " + plain(most));
    }

    private static String plain(double d) {
        return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    /**
     * Reads one of a fixed set of words, ignoring case and surrounding spaces.
     *
     * @param what where the value comes from, for the message
     * @param value the text
     * @param choices the values accepted
     * @param spelling how each choice is written (lower case)
     * @param <E> the type of the choices
     * @return the choice
     * @throws IllegalArgumentException naming {@code what}, echoing the value and listing the choices
     */
    public static <E> E parseChoice(String what, String value, List<E> choices, Function<E, String> spelling) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        for (E e : choices) {
            if (spelling.apply(e).equals(v)) {
                return e;
            }
        }
        throw new IllegalArgumentException(what + " is '" + value + "', but must be one of "
                + choices.stream().map(spelling).collect(Collectors.joining(", ")));
    }

    /**
     * Finds the name a person most likely meant: the closest of {@code candidates} by edits (a letter
     * added, removed, changed, or two neighbours swapped), ignoring case, when it is close enough to be
     * a typo (one edit for a name of up to five letters, two for a longer one).
     *
     * @param name the name that was given
     * @param candidates the names that exist
     * @return the nearest name, if one is close; ties go to the one that sorts first
     */
    public static Optional<String> nearest(String name, Collection<String> candidates) {
        String n = name.toLowerCase(Locale.ROOT);
        int allowed = n.length() <= 5 ? 1 : 2;
        List<String> sorted = new ArrayList<>(candidates);
        sorted.sort(null);
        String best = null;
        int bestDistance = allowed + 1;
        for (String c : sorted) {
            int d = distance(n, c.toLowerCase(Locale.ROOT));
            if (d < bestDistance && !c.equals(name)) {
                best = c;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Optimal string alignment distance: Levenshtein plus the swap of two neighbouring letters. */
    private static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    @Override
    public String toString() {
        return label + "s " + values;
    }
}
