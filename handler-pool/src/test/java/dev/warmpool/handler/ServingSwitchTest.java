package dev.warmpool.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ServingSwitchTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

    @Test
    void autoSwitchesBothWaysCountingEachSwitchOnce() {
        ServingSwitch s = new ServingSwitch(HandlerMode.AUTO, CLOCK);
        assertEquals(Serving.WARM, s.serving());
        assertEquals("", s.coldReason());
        s.toCold("workers cannot start");
        s.toCold("still cannot");
        assertEquals(Serving.COLD, s.serving());
        assertEquals("serving events cold since 2026-01-02T03:04:05Z: workers cannot start", s.coldReason());
        s.toWarm("w-2 started");
        s.toWarm("w-3 started");
        assertEquals(Serving.WARM, s.serving());
        assertEquals(1, s.switchesToCold());
        assertEquals(1, s.switchesToWarm());
    }

    @Test
    void poolAndSpawnModesNeverSwitch() {
        ServingSwitch pool = new ServingSwitch(HandlerMode.POOL, CLOCK);
        pool.toCold("x");
        assertEquals(Serving.WARM, pool.serving());
        ServingSwitch spawn = new ServingSwitch(HandlerMode.SPAWN, CLOCK);
        spawn.toWarm("x");
        assertEquals(Serving.COLD, spawn.serving());
        assertTrue(spawn.coldReason().isEmpty(), "spawn mode is cold by choice, not for a reason");
        assertEquals(0, pool.switchesToCold() + spawn.switchesToWarm());
    }
}
