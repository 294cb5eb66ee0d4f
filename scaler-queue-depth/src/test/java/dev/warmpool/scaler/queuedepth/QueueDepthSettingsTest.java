package dev.warmpool.scaler.queuedepth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warmpool.scaler.queuedepth.QueueDepthPolicy.Mode;
import dev.warmpool.scaler.queuedepth.QueueDepthPolicy.ScaleDownWhen;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QueueDepthSettingsTest {
    @Test
    void noSettingsIsTheOriginalRule() {
        assertEquals(QueueDepthPolicy.builder().build().toString(),
                QueueDepthPolicy.fromSettings(Map.of()).toString());
    }

    @Test
    void readsEverySetting() {
        QueueDepthPolicy p = QueueDepthPolicy.fromSettings(Map.of(
                "mode", "proportional",
                "target-per-worker", "4",
                "max-step", "3",
                "scale-down-stabilization", "90s",
                "scale-down-when", "never"));

        assertEquals(Mode.PROPORTIONAL, p.mode());
        assertEquals(4, p.targetPerWorker());
        assertEquals(OptionalInt.of(3), p.maxStep());
        assertEquals(Duration.ofSeconds(90), p.scaleDownStabilization());
        assertEquals(ScaleDownWhen.NEVER, p.scaleDownWhen());
        assertEquals("queue-depth[mode=proportional, target-per-worker=4, max-step=3,"
                + " scale-down-stabilization=90 s, scale-down-when=never]", p.toString());
    }

    @Test
    void readsStepSettings() {
        QueueDepthPolicy p = QueueDepthPolicy.fromSettings(Map.of(
                "mode", "step", "scale-up-threshold", "0", "max-step", "unlimited"));

        assertEquals(Mode.STEP, p.mode());
        assertEquals(0, p.scaleUpThreshold());
        assertEquals(OptionalInt.empty(), p.maxStep());
    }

    @Test
    void toleratesSpacesAndCaseInWords() {
        QueueDepthPolicy p = QueueDepthPolicy.fromSettings(Map.of(
                "mode", " Proportional ", "max-step", "UNLIMITED", "target-per-worker", " 2"));

        assertEquals(Mode.PROPORTIONAL, p.mode());
        assertEquals(2, p.targetPerWorker());
    }

    @ParameterizedTest
    @CsvSource({
        "0, PT0S",
        "0s, PT0S",
        "500ms, PT0.5S",
        "300s, PT5M",
        "300, PT5M",
        "5m, PT5M",
        "1h, PT1H",
        "PT30S, PT30S",
        "pt1m30s, PT1M30S",
        "' 45s ', PT45S",
        "'2 min', PT2M",
    })
    void readsDurations(String text, String expected) {
        QueueDepthPolicy p = QueueDepthPolicy.fromSettings(Map.of("scale-down-stabilization", text));

        assertEquals(Duration.parse(expected), p.scaleDownStabilization());
    }

    @ParameterizedTest
    @CsvSource({
        "PT0S, 0 s",
        "PT0.5S, 500 ms",
        "PT1.5S, 1.5 s",
        "PT90S, 90 s",
        "PT5M, 5 min",
        "PT2H, 2 h",
    })
    void writesDurationsInToStringTheWayItReadsThem(String duration, String text) {
        QueueDepthPolicy p = QueueDepthPolicy.fromSettings(Map.of("scale-down-stabilization", text));

        assertEquals(Duration.parse(duration), p.scaleDownStabilization());
        assertTrue(p.toString().contains("scale-down-stabilization=" + text + ","), p.toString());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            scale-up-threshold       | abc    | queue-depth scaling setting scale-up-threshold is 'abc', but must be a whole number ≥ 0
            scale-up-threshold       | -1     | queue-depth scaling setting scale-up-threshold is '-1', but must be at least 0
            scale-up-threshold       | 2.5    | queue-depth scaling setting scale-up-threshold is '2.5', but must be a whole number ≥ 0
            scale-up-threshold       | 99999999999 | queue-depth scaling setting scale-up-threshold is '99999999999', but that is too large: the most is 2147483647
            max-step                 | 0      | queue-depth scaling setting max-step is '0', but must be at least 1
            max-step                 | lots   | queue-depth scaling setting max-step is 'lots', but must be a whole number ≥ 1
            mode                     | kedaa  | queue-depth scaling setting mode is 'kedaa', but must be one of step, proportional
            scale-down-when          | idle   | queue-depth scaling setting scale-down-when is 'idle', but must be one of queue-empty, never
            scale-down-stabilization | 5 mins | queue-depth scaling setting scale-down-stabilization is '5 mins', but must be a duration ≥ 0: seconds (30, 1.5), a number with a unit (500ms, 30s, 5m, 1h) or ISO-8601 (PT30S)
            scale-down-stabilization | -5s    | queue-depth scaling setting scale-down-stabilization is '-5s', but must be a duration ≥ 0: seconds (30, 1.5), a number with a unit (500ms, 30s, 5m, 1h) or ISO-8601 (PT30S)
            scale-down-stabilization | PT-5S  | queue-depth scaling setting scale-down-stabilization is 'PT-5S', but must be a duration ≥ 0: seconds (30, 1.5), a number with a unit (500ms, 30s, 5m, 1h) or ISO-8601 (PT30S)
            scale-down-stabilization | 999999999999999999h | queue-depth scaling setting scale-down-stabilization is '999999999999999999h', but that is too large: the most is 9223372036854775807 s
            """)
    void rejectsBadValuesNamingTheSettingAndEchoingTheValue(String name, String value, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> QueueDepthPolicy.fromSettings(Map.of(name, value)));

        assertEquals(message, e.getMessage());
    }

    @Test
    void rejectsTargetPerWorkerBelowOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> QueueDepthPolicy.fromSettings(Map.of("mode", "proportional", "target-per-worker", "0")));

        assertEquals("queue-depth scaling setting target-per-worker is '0', but must be at least 1", e.getMessage());
    }

    @Test
    void rejectsAnUnknownSettingListingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> QueueDepthPolicy.fromSettings(Map.of("scale-up-treshold", "5")));

        assertEquals("unknown queue-depth scaling setting 'scale-up-treshold'; did you mean 'scale-up-threshold'?"
                + " The known settings are mode, scale-up-threshold, target-per-worker, max-step,"
                + " scale-down-stabilization, scale-down-when", e.getMessage());
    }

    @Test
    void rejectsASettingOfTheOtherMode() {
        IllegalArgumentException threshold = assertThrows(IllegalArgumentException.class,
                () -> QueueDepthPolicy.fromSettings(Map.of("mode", "proportional", "scale-up-threshold", "5")));
        IllegalArgumentException target = assertThrows(IllegalArgumentException.class,
                () -> QueueDepthPolicy.fromSettings(Map.of("target-per-worker", "5")));

        assertEquals("queue-depth scaling setting scale-up-threshold is '5', but it applies to mode=step only, and"
                + " mode is 'proportional'; use target-per-worker instead", threshold.getMessage());
        assertEquals("queue-depth scaling setting target-per-worker is '5', but it applies to mode=proportional only,"
                + " and mode is 'step'; use scale-up-threshold instead", target.getMessage());
    }

    @Test
    void rejectsAMissingValue() {
        Map<String, String> settings = new HashMap<>();
        settings.put("max-step", null);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> QueueDepthPolicy.fromSettings(settings));
        assertEquals("queue-depth scaling setting max-step has no value", e.getMessage());
    }
}
