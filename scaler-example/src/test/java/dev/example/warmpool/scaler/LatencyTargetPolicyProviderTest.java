package dev.example.warmpool.scaler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.example.warmpool.scaler.LatencyTargetPolicy.Percentile;
import dev.warmpool.api.spi.ScalingPolicyProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LatencyTargetPolicyProviderTest {
    private final LatencyTargetPolicyProvider provider = new LatencyTargetPolicyProvider();

    @Test
    void isNamedLatencyTargetAvailableAtDefaultPriority() {
        assertEquals("latency-target", provider.name());
        assertEquals(5, provider.priority());
        assertTrue(provider.isAvailable());
    }

    @Test
    void noSettingsGiveTheDefaults() {
        assertEquals(LatencyTargetPolicy.DEFAULTS, provider.create(Map.of()));
    }

    @Test
    void readsTheSettings() {
        assertEquals(new LatencyTargetPolicy(Duration.ofMillis(1500), Percentile.P90, 0.25),
                provider.create(Map.of("target-wait", "PT1.5S", "percentile", "P90", "idle-fraction", " 0.25")));
        assertEquals(Duration.ofSeconds(2),
                ((LatencyTargetPolicy) provider.create(Map.of("target-wait", "2s"))).targetWait());
        assertEquals(Duration.ofMinutes(1),
                ((LatencyTargetPolicy) provider.create(Map.of("target-wait", "1m"))).targetWait());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            target-wait   | 0ms   | latency-target scaling setting target-wait is '0ms', but must be a duration > 0
            target-wait   | fast  | latency-target scaling setting target-wait is 'fast', but must be a duration > 0: seconds (30, 1.5), a number with a unit (500ms, 30s, 5m, 1h) or ISO-8601 (PT30S)
            target-wait   | PT-1S | latency-target scaling setting target-wait is 'PT-1S', but must be a duration > 0: seconds (30, 1.5), a number with a unit (500ms, 30s, 5m, 1h) or ISO-8601 (PT30S)
            percentile    | p95   | latency-target scaling setting percentile is 'p95', but must be one of p50, p90, p99, p999
            idle-fraction | 50%   | latency-target scaling setting idle-fraction is '50%', but must be a number from 0 to 1
            idle-fraction | 1.01  | latency-target scaling setting idle-fraction is '1.01', but must be a number from 0 to 1
            idle-fraction | NaN   | latency-target scaling setting idle-fraction is 'NaN', but must be a number from 0 to 1
            """)
    void rejectsBadValuesNamingTheSettingAndEchoingTheValue(String name, String value, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> provider.create(Map.of(name, value)));

        assertEquals(message, e.getMessage());
    }

    @Test
    void rejectsAnUnknownSettingListingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> provider.create(Map.of("target", "1s")));

        assertEquals("unknown latency-target scaling setting 'target'; the known settings are target-wait,"
                + " percentile, idle-fraction", e.getMessage());
    }

    @Test
    void rejectsAMissingValue() {
        Map<String, String> settings = new HashMap<>();
        settings.put("percentile", null);

        assertEquals("latency-target scaling setting percentile has no value",
                assertThrows(IllegalArgumentException.class, () -> provider.create(settings)).getMessage());
    }

    @Test
    void serviceLoaderFindsItOnTheClassPath() {
        List<String> names = ServiceLoader.load(ScalingPolicyProvider.class).stream()
                .map(p -> p.get().name())
                .toList();

        assertEquals(List.of("latency-target"), names);
    }

    @Test
    void serviceFileNamesTheProvider() throws IOException {
        try (InputStream in = LatencyTargetPolicyProvider.class.getResourceAsStream(
                "/META-INF/services/dev.warmpool.api.spi.ScalingPolicyProvider")) {
            assertEquals(LatencyTargetPolicyProvider.class.getName(),
                    new String(in.readAllBytes(), StandardCharsets.UTF_8).strip());
        }
    }
}
