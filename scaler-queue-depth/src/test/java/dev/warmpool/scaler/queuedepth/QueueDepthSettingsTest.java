package dev.warmpool.scaler.queuedepth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
                + " scale-down-stabilization=90s, scale-down-when=never]", p.toString());
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
        "5m, PT5M",
        "1h, PT1H",
        "PT30S, PT30S",
        "pt1m30s, PT1M30S",
        "' 45s ', PT45S",
    })
    void readsDurations(String text, String expected) {
        QueueDepthPolicy p = QueueDepthPolicy.fromSettings(Map.of("scale-down-stabilization", text));

        assertEquals(Duration.parse(expected), p.scaleDownStabilization());
    }

    @ParameterizedTest
    @CsvSource({
        "PT0S, 0s",
        "PT0.5S, 500ms",
        "PT1.5S, 1500ms",
        "PT90S, 90s",
        "PT5M, 5m",
        "PT2H, 2h",
        "PT0.0000005S, PT0.0000005S",
    })
    void formatsDurationsTheWayItReadsThem(String duration, String text) {
        assertEquals(text, QueueDepthSettings.format(Duration.parse(duration)));
        assertEquals(Duration.parse(duration), QueueDepthSettings.duration("x", text));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            scale-up-threshold       | abc    | scale-up-threshold is 'abc', but must be a whole number ≥ 0
            scale-up-threshold       | -1     | scale-up-threshold is '-1', but must be a whole number ≥ 0
            scale-up-threshold       | 2.5    | scale-up-threshold is '2.5', but must be a whole number ≥ 0
            scale-up-threshold       | 99999999999 | scale-up-threshold is '99999999999', but must be a whole number ≥ 0
            max-step                 | 0      | max-step is '0', but must be a whole number ≥ 1 or 'unlimited'
            max-step                 | lots   | max-step is 'lots', but must be a whole number ≥ 1 or 'unlimited'
            mode                     | kedaa  | mode is 'kedaa', but must be one of step, proportional
            scale-down-when          | idle   | scale-down-when is 'idle', but must be one of queue-empty, never
            scale-down-stabilization | 5 min  | scale-down-stabilization is '5 min', but must be a duration ≥ 0: a whole number with ms, s, m or h (500ms, 300s, 5m) or ISO-8601 (PT30S)
            scale-down-stabilization | -5s    | scale-down-stabilization is '-5s', but must be a duration ≥ 0: a whole number with ms, s, m or h (500ms, 300s, 5m) or ISO-8601 (PT30S)
            scale-down-stabilization | PT-5S  | scale-down-stabilization is 'PT-5S', but must be a duration ≥ 0: a whole number with ms, s, m or h (500ms, 300s, 5m) or ISO-8601 (PT30S)
            scale-down-stabilization | 300    | scale-down-stabilization is '300', but must be a duration ≥ 0: a whole number with ms, s, m or h (500ms, 300s, 5m) or ISO-8601 (PT30S)
            scale-down-stabilization | 999999999999999999h | scale-down-stabilization is '999999999999999999h', but must be a duration ≥ 0: a whole number with ms, s, m or h (500ms, 300s, 5m) or ISO-8601 (PT30S)
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

        assertEquals("target-per-worker is '0', but must be a whole number ≥ 1", e.getMessage());
    }

    @Test
    void rejectsAnUnknownSettingListingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> QueueDepthPolicy.fromSettings(Map.of("scale-up-treshold", "5")));

        assertEquals("unknown queue-depth setting 'scale-up-treshold'; the known settings are mode,"
                + " scale-up-threshold, target-per-worker, max-step, scale-down-stabilization, scale-down-when",
                e.getMessage());
    }

    @Test
    void rejectsASettingOfTheOtherMode() {
        IllegalArgumentException threshold = assertThrows(IllegalArgumentException.class,
                () -> QueueDepthPolicy.fromSettings(Map.of("mode", "proportional", "scale-up-threshold", "5")));
        IllegalArgumentException target = assertThrows(IllegalArgumentException.class,
                () -> QueueDepthPolicy.fromSettings(Map.of("target-per-worker", "5")));

        assertEquals("scale-up-threshold is '5', but it applies to mode=step only, and mode is 'proportional';"
                + " use target-per-worker instead", threshold.getMessage());
        assertEquals("target-per-worker is '5', but it applies to mode=proportional only, and mode is 'step';"
                + " use scale-up-threshold instead", target.getMessage());
    }

    @Test
    void rejectsAMissingValue() {
        Map<String, String> settings = new HashMap<>();
        settings.put("max-step", null);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> QueueDepthPolicy.fromSettings(settings));
        assertEquals("max-step has no value", e.getMessage());
    }
}
