package dev.warmpool.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.warmpool.handler.HandlerResult.Failure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HandlerResultTest {
    @Test
    void successIsExactlyNoFailure() {
        assertThrows(IllegalArgumentException.class, () -> new HandlerResult(true, "", "", 0, Duration.ZERO, Duration.ZERO,
                Serving.WARM, Failure.TIMEOUT, ""));
        assertThrows(IllegalArgumentException.class, () -> new HandlerResult(false, "", "", 0, Duration.ZERO, Duration.ZERO,
                Serving.WARM, Failure.NONE, ""));
    }

    @Test
    void theMapIsThePlansResultFirstThenTheRest() {
        HandlerResult r = new HandlerResult(false, "API Error: 500", "line 1\nline 2", 0.25, Duration.ofMillis(1500),
                Duration.ofMillis(40), Serving.COLD, Failure.FALLBACK_FAILED, "it broke");
        Map<String, Object> m = r.toMap();
        assertEquals(List.of("success", "output", "stderr", "failure", "error", "served_by", "cost_usd", "duration_ms",
                "turn_duration_ms"), List.copyOf(m.keySet()));
        assertEquals(List.of(false, "API Error: 500", "line 1\nline 2", "fallback_failed", "it broke", "cold", 0.25, 1500L, 40L),
                List.copyOf(m.values()));
    }
}
