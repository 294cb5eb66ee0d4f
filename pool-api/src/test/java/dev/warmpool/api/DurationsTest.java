package dev.warmpool.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationsTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            PT0S          | 0 s
            PT300S        | 5 min
            PT90S         | 90 s
            PT2H          | 2 h
            PT26H         | 26 h
            PT2.003S      | 2.003 s
            PT1.5S        | 1.5 s
            PT0.015S      | 15 ms
            PT0.0152345S  | 15.235 ms
            PT0.00004S    | 40 µs
            PT0.000000007S | 7 ns
            PT-1S         | -1 s
            PT-0.25S      | -250 ms
            """)
    void writesTheLargestUnitWithAtMostThreeDecimals(String iso, String text) {
        assertEquals(text, Durations.format(Duration.parse(iso)));
    }
}
