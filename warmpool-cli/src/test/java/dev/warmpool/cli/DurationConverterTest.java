package dev.warmpool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/** The durations {@code --timeout} and {@code --start-timeout} take. */
class DurationConverterTest {
    private final DurationConverter c = new DurationConverter();

    @Test
    void secondsUnitsAndIso() {
        assertEquals(Duration.ofSeconds(30), c.convert("30"));
        assertEquals(Duration.ofMillis(1500), c.convert("1.5"));
        assertEquals(Duration.ofMillis(500), c.convert("500ms"));
        assertEquals(Duration.ofSeconds(30), c.convert("30s"));
        assertEquals(Duration.ofMinutes(2), c.convert("2m"));
        assertEquals(Duration.ofHours(1), c.convert("1h"));
        assertEquals(Duration.ofSeconds(45), c.convert("PT45S"));
    }

    @Test
    void rejectsWhatIsNotAPositiveDuration() {
        for (String bad : new String[] {"soon", "0", "-3", "5 parsecs", "", "P"}) {
            TypeConversionException e = assertThrows(TypeConversionException.class, () -> c.convert(bad), bad);
            assertTrue(e.getMessage().contains("'"), e.getMessage());
        }
    }
}
