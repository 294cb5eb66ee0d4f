package dev.warmpool.cli;

import dev.warmpool.api.spi.PluginSettings;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a duration option the way warmpool reads every duration ({@link PluginSettings#parseDuration}): a
 * number of seconds ({@code 30}, {@code 1.5}) as {@code HANDLER_REQUEST_TIMEOUT} takes it, a number with a
 * unit ({@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}), or ISO-8601 ({@code PT30S}). Must be positive.
 */
final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return PluginSettings.parsePositiveDuration("value", value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
