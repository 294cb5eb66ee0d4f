package dev.warmpool.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a duration option: a number of seconds ({@code 30}, {@code 1.5}) as
 * {@code HANDLER_REQUEST_TIMEOUT} takes it, a number with a unit ({@code 500ms}, {@code 30s},
 * {@code 2m}, {@code 1h}), or ISO-8601 ({@code PT30S}). Must be positive.
 */
final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        Duration d = parse(value.trim().toLowerCase(Locale.ROOT));
        if (d.isNegative() || d.isZero()) {
            throw new TypeConversionException("'" + value + "' is not positive");
        }
        return d;
    }

    private static Duration parse(String v) {
        if (v.startsWith("p")) {
            try {
                return Duration.parse(v.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw bad(v);
            }
        }
        String number = v;
        long nanosPerUnit = 1_000_000_000L;
        for (String[] unit : new String[][] {{"ms", "1000000"}, {"s", "1000000000"}, {"m", "60000000000"},
                {"h", "3600000000000"}}) {
            if (v.endsWith(unit[0]) && !(unit[0].equals("s") && v.endsWith("ms"))) {
                number = v.substring(0, v.length() - unit[0].length()).trim();
                nanosPerUnit = Long.parseLong(unit[1]);
                break;
            }
        }
        try {
            BigDecimal nanos = new BigDecimal(number).multiply(BigDecimal.valueOf(nanosPerUnit));
            return Duration.ofNanos(nanos.longValueExact());
        } catch (NumberFormatException | ArithmeticException e) {
            throw bad(v);
        }
    }

    private static TypeConversionException bad(String v) {
        return new TypeConversionException("'" + v + "' is not a duration: give seconds (30, 1.5) or a number "
                + "with a unit (500ms, 30s, 2m, 1h)");
    }
}
