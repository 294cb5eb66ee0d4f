package dev.warmpool.api.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.warmpool.api.Durations;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PluginSettingsTest {
    private enum Colour { RED, DARK_BLUE }

    @Test
    void theJavadocExampleReadsItsSettings() {
        Map<String, String> settings = Map.of("target-wait", "250ms");
        PluginSettings s = PluginSettings.forScalingPolicy("latency-target", settings)
                .allowOnly(List.of("target-wait", "percentile"));
        Duration wait = s.positiveDuration("target-wait").orElse(Duration.ofMillis(100));
        assertEquals(Duration.ofMillis(250), wait);
        assertEquals(Optional.empty(), s.text("percentile"));
    }

    @Test
    void anUnknownNameSuggestsTheNearestAndListsTheKnownOnes() {
        IllegalArgumentException typo = assertThrows(IllegalArgumentException.class,
                () -> PluginSettings.forTransport("line", Map.of("framng", "x")).allowOnly(List.of("framing", "group")));
        assertEquals("unknown line transport setting 'framng'; did you mean 'framing'? The known settings are"
                + " framing, group", typo.getMessage());
        IllegalArgumentException far = assertThrows(IllegalArgumentException.class,
                () -> PluginSettings.forTransport("line", Map.of("colour", "x")).allowOnly(List.of("framing")));
        assertEquals("unknown line transport setting 'colour'; the known settings are framing", far.getMessage());
    }

    @Test
    void aNullValueIsNamed() {
        Map<String, String> settings = new HashMap<>();
        settings.put("mode", null);
        assertEquals("p scaling setting mode has no value", assertThrows(IllegalArgumentException.class,
                () -> PluginSettings.forScalingPolicy("p", settings)).getMessage());
    }

    @Test
    void readsEachKindOfValue() {
        PluginSettings s = PluginSettings.of("x setting", Map.of("n", " 7 ", "f", "0.25", "c", " Dark_Blue ", "d", "0"));
        assertEquals(OptionalInt.of(7), s.wholeNumber("n", 1, 10));
        assertEquals(OptionalDouble.of(0.25), s.decimal("f", 0, 1));
        assertEquals(Optional.of(Colour.DARK_BLUE), s.oneOf("c", List.of(Colour.values()), c -> c.name().toLowerCase()));
        assertEquals(Optional.of(Duration.ZERO), s.duration("d"));
        assertEquals(OptionalInt.empty(), s.wholeNumber("absent", 1, 10));
        assertEquals(List.of("c", "d", "f", "n"), s.names());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            abc         | x setting n is 'abc', but must be a whole number from 1 to 10
            11          | x setting n is '11', but that is too large: the most is 10
            99999999999 | x setting n is '99999999999', but that is too large: the most is 10
            0           | x setting n is '0', but must be at least 1
            2.5         | x setting n is '2.5', but must be a whole number from 1 to 10
            """)
    void wholeNumbersSayWhatIsWrong(String value, String message) {
        assertEquals(message, assertThrows(IllegalArgumentException.class,
                () -> PluginSettings.of("x setting", Map.of("n", value)).wholeNumber("n", 1, 10)).getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            30       | PT30S
            1.5      | PT1.5S
            500ms    | PT0.5S
            500 ms   | PT0.5S
            40µs     | PT0.00004S
            40us     | PT0.00004S
            7ns      | PT0.000000007S
            2m       | PT2M
            2 min    | PT2M
            1h       | PT1H
            1d       | PT24H
            PT45S    | PT45S
            pt1m30s  | PT1M30S
            ' 45S '  | PT45S
            """)
    void readsDurationsWithAnyUnit(String text, String expected) {
        assertEquals(Duration.parse(expected), PluginSettings.parseDuration("d", text));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"PT0S", "PT0.5S", "PT1.5S", "PT2.003S", "PT90S", "PT5M", "PT2H", "PT0.00004S", "PT0.000000007S",
            "PT26H", "PT0.000123456S"})
    void readsBackWhatDurationsWrites(String iso) {
        Duration d = Duration.parse(iso);
        assertEquals(d, PluginSettings.parseDuration("d", Durations.format(d)), Durations.format(d));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            soon  | timeout is 'soon', but must be a duration > 0: seconds (30, 1.5), a number with a unit (500ms, 30s, 5m, 1h) or ISO-8601 (PT30S)
            -3s   | timeout is '-3s', but must be a duration > 0: seconds (30, 1.5), a number with a unit (500ms, 30s, 5m, 1h) or ISO-8601 (PT30S)
            0     | timeout is '0', but must be a duration > 0
            0.1ns | timeout is '0.1ns', but must be a duration > 0: seconds (30, 1.5), a number with a unit (500ms, 30s, 5m, 1h) or ISO-8601 (PT30S)
            99999999999999999999d | timeout is '99999999999999999999d', but that is too large: the most is 9223372036854775807 s
            """)
    void rejectsWhatIsNotAPositiveDuration(String text, String message) {
        assertEquals(message, assertThrows(IllegalArgumentException.class,
                () -> PluginSettings.parsePositiveDuration("timeout", text)).getMessage());
    }

    @Test
    void decimalsAndChoicesListWhatIsAccepted() {
        assertEquals("f is 'NaN', but must be a number from 0 to 1", assertThrows(IllegalArgumentException.class,
                () -> PluginSettings.parseDecimal("f", "NaN", 0, 1)).getMessage());
        assertEquals("c is 'green', but must be one of red, dark_blue", assertThrows(IllegalArgumentException.class,
                () -> PluginSettings.parseChoice("c", "green", List.of(Colour.values()),
                        c -> c.name().toLowerCase())).getMessage());
    }

    @Test
    void nearestFindsTyposOnly() {
        List<String> names = List.of("jsonrpc", "line", "oneshot");
        assertEquals(Optional.of("jsonrpc"), PluginSettings.nearest("jsonrcp", names), "two letters swapped");
        assertEquals(Optional.of("jsonrpc"), PluginSettings.nearest("JSONRPC", names), "case");
        assertEquals(Optional.of("line"), PluginSettings.nearest("lines", names));
        assertEquals(Optional.of("oneshot"), PluginSettings.nearest("one-shot", names));
        assertEquals(Optional.empty(), PluginSettings.nearest("grpc", names));
        assertEquals(Optional.empty(), PluginSettings.nearest("claude", names));
        assertEquals(Optional.empty(), PluginSettings.nearest("x", List.of()));
    }
}
