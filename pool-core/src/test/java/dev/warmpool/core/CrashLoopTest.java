package dev.warmpool.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The crash loop's decisions as a function of failure times, successes and the random factor: no
 * threads, no clock, every instant given. The last test walks every schedule of up to seven
 * events on a grid and checks each decision against the rules stated in {@link CrashLoop}.
 */
class CrashLoopTest {
    private static final long S = 1_000_000_000L;
    private static final long MS = 1_000_000L;

    private static CrashLoop loop(long initialMs, long maxMs, int threshold, long windowS, double random) {
        return new CrashLoop(Duration.ofMillis(initialMs), Duration.ofMillis(maxMs), threshold,
                Duration.ofSeconds(windowS), () -> random);
    }

    @Test
    void theBackoffDoublesFromTheInitialDelayUpToTheMaximum() {
        CrashLoop c = loop(100, 1_000, 100, 60, 0.5); // factor 1.0
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            delays.add(c.failed(i * S).backoffNanos() / MS);
        }
        assertEquals(List.of(100L, 200L, 400L, 800L, 1_000L, 1_000L, 1_000L), delays);
    }

    @Test
    void theRandomFactorSpreadsTheDelayFromHalfToOneAndAHalfTimesButNeverPastTheMaximum() {
        assertEquals(50 * MS, loop(100, 1_000, 100, 60, 0.0).failed(0).backoffNanos());
        assertEquals(125 * MS, loop(100, 1_000, 100, 60, 0.75).failed(0).backoffNanos());
        CrashLoop atMax = loop(1_000, 1_000, 100, 60, 0.999);
        assertEquals(1_000 * MS, atMax.failed(0).backoffNanos());
    }

    @Test
    void aHugeBackoffSaturatesInsteadOfOverflowing() {
        CrashLoop c = new CrashLoop(Duration.ofDays(1), Duration.ofDays(100_000), 1_000, Duration.ofSeconds(1),
                () -> 0.999);
        long previous = 0;
        for (int i = 0; i < 200; i++) {
            long d = c.failed(i).backoffNanos();
            assertTrue(d > 0 && d <= Duration.ofDays(100_000).toNanos(), "failure " + i + ": " + d);
            assertTrue(d >= previous, "failure " + i + " waits less than the one before");
            previous = d;
        }
    }

    @Test
    void thresholdFailuresWithinTheWindowMakeThePoolUnhealthyOnce() {
        CrashLoop c = loop(100, 1_000, 3, 60, 0.5);
        assertFalse(c.failed(0).becameUnhealthy());
        assertFalse(c.failed(30 * S).becameUnhealthy());
        CrashLoop.Decision third = c.failed(60 * S); // the first one is exactly a window old: still in it
        assertTrue(third.becameUnhealthy());
        assertEquals(3, third.inWindow());
        assertTrue(c.unhealthy());
        assertFalse(c.failed(61 * S).becameUnhealthy(), "unhealthy already");
        assertTrue(c.unhealthy());
    }

    @Test
    void failuresFurtherApartThanTheWindowNeverAddUp() {
        CrashLoop c = loop(100, 1_000, 2, 60, 0.5);
        for (int i = 0; i < 10; i++) {
            CrashLoop.Decision d = c.failed(i * (60 * S + 1));
            assertEquals(1, d.inWindow());
            assertFalse(d.becameUnhealthy());
        }
        assertFalse(c.unhealthy());
        assertEquals(0, c.failuresInWindow(20 * 61 * S));
    }

    @Test
    void aSuccessEndsAnUnhealthySpellAndStartsTheBackoffAndTheWindowAfresh() {
        CrashLoop c = loop(100, 1_000, 2, 60, 0.5);
        c.failed(0);
        c.failed(S);
        assertTrue(c.unhealthy());
        assertTrue(c.succeeded());
        assertFalse(c.unhealthy());
        assertEquals(0, c.failuresInWindow(2 * S));
        CrashLoop.Decision next = c.failed(2 * S);
        assertEquals(100 * MS, next.backoffNanos());
        assertFalse(next.becameUnhealthy());
    }

    @Test
    void aSuccessWhileHealthyResetsTheBackoffButKeepsTheFailuresInTheWindow() {
        CrashLoop c = loop(100, 1_000, 3, 60, 0.5);
        c.failed(0);
        c.failed(10 * S);
        assertFalse(c.succeeded());
        CrashLoop.Decision d = c.failed(20 * S);
        assertEquals(100 * MS, d.backoffNanos());
        assertTrue(d.becameUnhealthy(), "three failures within a minute, a success among them or not");
    }

    @Test
    void anInstantBelowZeroIsAnInstantLikeAnyOther() {
        CrashLoop c = loop(100, 1_000, 2, 60, 0.5);
        long origin = Long.MIN_VALUE / 2;
        c.failed(origin);
        assertTrue(c.failed(origin + 60 * S).becameUnhealthy());
    }

    /** Every schedule of failures (on a 20 s grid) and successes, against the rules stated in CrashLoop. */
    @Test
    void everyScheduleFollowsTheStatedRules() {
        int checked = 0;
        for (int length = 1; length <= 7; length++) {
            for (int code = 0; code < Math.pow(6, length); code++) {
                checkSchedule(decode(code, length));
                checked++;
            }
        }
        assertEquals(335_922, checked);
    }

    /** @return events: 0..4 a failure that many grid steps after the previous event, 5 a success */
    private static int[] decode(int code, int length) {
        int[] events = new int[length];
        for (int i = 0; i < length; i++) {
            events[i] = code % 6;
            code /= 6;
        }
        return events;
    }

    private static void checkSchedule(int[] events) {
        int threshold = 3;
        long window = 60 * S;
        double random = new SplittableRandom(events.length * 31L + events[0]).nextDouble();
        CrashLoop c = new CrashLoop(Duration.ofMillis(100), Duration.ofMillis(1_000), threshold,
                Duration.ofNanos(window), () -> random);
        long now = 0;
        List<Long> failures = new ArrayList<>(); // since the last recovery
        int inARow = 0;
        boolean unhealthy = false;
        for (int e : events) {
            if (e == 5) {
                assertEquals(unhealthy, c.succeeded());
                if (unhealthy) {
                    failures.clear();
                }
                unhealthy = false;
                inARow = 0;
                continue;
            }
            now += e * 20 * S;
            failures.add(now);
            inARow++;
            long t = now;
            int inWindow = (int) failures.stream().filter(f -> t - f <= window).count();
            CrashLoop.Decision d = c.failed(now);
            assertEquals(inWindow, d.inWindow());
            assertEquals(!unhealthy && inWindow >= threshold, d.becameUnhealthy());
            unhealthy |= d.becameUnhealthy();
            assertEquals(unhealthy, c.unhealthy());
            long step = Math.min(1_000 * MS, 100 * MS << Math.min(inARow - 1, 10));
            assertTrue(d.backoffNanos() >= step / 2 && d.backoffNanos() <= Math.min(1_000 * MS, step * 3 / 2),
                    "failure " + inARow + " in a row waits " + d.backoffNanos());
        }
    }
}
