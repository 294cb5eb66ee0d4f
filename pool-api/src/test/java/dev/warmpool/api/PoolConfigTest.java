package dev.warmpool.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warmpool.api.spi.ScalingPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

class PoolConfigTest {

    @Test
    void defaultsMatchTheOriginalListener() {
        PoolConfig c = PoolConfig.fromEnvironment(Map.of()).command("cat").build();
        assertEquals(3, c.size());
        assertEquals(1, c.minSize());
        assertEquals(10, c.maxSize());
        assertEquals(Duration.ofSeconds(300), c.requestTimeout());
        assertEquals("jsonrpc", c.transportName());
        assertTrue(c.scalingPolicyName().isEmpty());
        assertTrue(c.callbackExecutor().isEmpty());
    }

    @Test
    void readsTheFourVariables() {
        PoolConfig c = PoolConfig.fromEnvironment(Map.of(
                "HANDLER_POOL_SIZE", "4", "HANDLER_POOL_MIN", "2", "HANDLER_POOL_MAX", " 8 ",
                "HANDLER_REQUEST_TIMEOUT", "12")).command("cat").build();
        assertEquals(4, c.size());
        assertEquals(2, c.minSize());
        assertEquals(8, c.maxSize());
        assertEquals(Duration.ofSeconds(12), c.requestTimeout());
        assertEquals(Duration.ofMillis(1500), PoolConfig.fromEnvironment(Map.of("HANDLER_REQUEST_TIMEOUT", "1.5s"))
                .command("cat").build().requestTimeout(), "the timeout takes a unit, as every duration does");
    }

    @Test
    void anExplicitOptionOverridesTheVariable() {
        PoolConfig c = PoolConfig.fromEnvironment(Map.of("HANDLER_POOL_SIZE", "4")).size(2).command("cat").build();
        assertEquals(2, c.size());
    }

    @Test
    void anExplicitOptionWinsOverABadVariable() {
        PoolConfig c = PoolConfig.fromEnvironment(Map.of("HANDLER_POOL_SIZE", "abc", "HANDLER_REQUEST_TIMEOUT", "-1"))
                .size(2).requestTimeout(Duration.ofSeconds(9)).command("cat").build();
        assertEquals(2, c.size());
        assertEquals(Duration.ofSeconds(9), c.requestTimeout());
    }

    @Test
    void aBadVariableFailsTheBuildNamingTheVariableAndTheValue() {
        assertEquals("environment variable HANDLER_POOL_SIZE is 'three', but must be a whole number ≥ 1",
                buildFails(IllegalArgumentException.class, Map.of("HANDLER_POOL_SIZE", "three")));
        assertEquals("environment variable HANDLER_REQUEST_TIMEOUT is '0', but must be a duration > 0",
                buildFails(IllegalArgumentException.class, Map.of("HANDLER_REQUEST_TIMEOUT", "0")));
        assertEquals("environment variable HANDLER_POOL_MAX is '-2', but must be at least 1",
                buildFails(IllegalArgumentException.class, Map.of("HANDLER_POOL_MAX", "-2")));
        assertTrue(buildFails(IllegalArgumentException.class, Map.of("HANDLER_POOL_MIN", "1.5"))
                .startsWith("environment variable HANDLER_POOL_MIN is '1.5', but must be a whole number"));
    }

    @Test
    void aNumberTooLargeForAnIntSaysTooLargeNotNotAWholeNumber() {
        assertEquals("environment variable HANDLER_POOL_SIZE is '99999999999', but that is too large: the most is "
                + Integer.MAX_VALUE, buildFails(IllegalArgumentException.class, Map.of("HANDLER_POOL_SIZE", "99999999999")));
    }

    @Test
    void aSizeLeftAtItsDefaultFollowsAMaximumGivenAloneAndSaysSo() {
        PoolConfig c = PoolConfig.fromEnvironment(Map.of("HANDLER_POOL_MAX", "2")).command("cat").build();
        assertEquals(2, c.size());
        assertEquals(2, c.maxSize());
        assertTrue(c.toString().contains("size=2 (default 3, lowered to maxSize 2 from HANDLER_POOL_MAX)"), c::toString);
        assertTrue(c.toString().contains("maxSize=2 (from HANDLER_POOL_MAX)"), c::toString);

        PoolConfig given = PoolConfig.builder().command("cat").maxSize(2).build();
        assertEquals(2, given.size(), "a maximum set on the builder moves a default size too");
    }

    @Test
    void aSizeLeftAtItsDefaultFollowsAMinimumGivenAlone() {
        PoolConfig c = PoolConfig.fromEnvironment(Map.of("HANDLER_POOL_MIN", "5")).command("cat").build();
        assertEquals(5, c.size());
        assertTrue(c.toString().contains("size=5 (default 3, raised to minSize 5 from HANDLER_POOL_MIN)"), c::toString);

        PoolConfig high = PoolConfig.fromEnvironment(Map.of("HANDLER_POOL_MIN", "12")).command("cat").build();
        assertEquals(List.of(12, 12, 12), List.of(high.minSize(), high.size(), high.maxSize()));
        assertTrue(high.toString().contains("maxSize=12 (default 10, raised to minSize 12 from HANDLER_POOL_MIN)"),
                high::toString);
    }

    @Test
    void anExplicitSizeWinsOverAConflictingVariable() {
        PoolConfig c = PoolConfig.fromEnvironment(Map.of("HANDLER_POOL_MAX", "2")).size(5).command("cat").build();
        assertEquals(5, c.size());
        assertEquals(5, c.maxSize());
        assertTrue(c.toString().contains("maxSize=5 (HANDLER_POOL_MAX=2, raised to size 5)"), c::toString);
    }

    @Test
    void sizesOfEqualStandingThatDisagreeSayWhereEachCameFrom() {
        assertEquals("minSize is 5 (from HANDLER_POOL_MIN), but maxSize is 2 (from HANDLER_POOL_MAX)",
                buildFails(IllegalStateException.class, Map.of("HANDLER_POOL_MIN", "5", "HANDLER_POOL_MAX", "2")));
        assertEquals("size is 4 (from HANDLER_POOL_SIZE), but must be within minSize 1 (default) and maxSize 3"
                + " (from HANDLER_POOL_MAX)",
                buildFails(IllegalStateException.class, Map.of("HANDLER_POOL_SIZE", "4", "HANDLER_POOL_MAX", "3")));
        IllegalStateException given = assertThrows(IllegalStateException.class,
                () -> PoolConfig.builder().command("cat").size(20).maxSize(10).build());
        assertEquals("size is 20, but must be within minSize 1 (default) and maxSize 10", given.getMessage());
    }

    @Test
    void aSizeFromTheEnvironmentRaisesADefaultMaximum() {
        PoolConfig c = PoolConfig.fromEnvironment(Map.of("HANDLER_POOL_SIZE", "20")).command("cat").build();
        assertEquals(20, c.size());
        assertEquals(20, c.maxSize());
        assertTrue(c.toString().contains("maxSize=20 (default 10, raised to size 20 from HANDLER_POOL_SIZE)"),
                c::toString);
    }

    @Test
    void optionsAreSetOnceAndValuesAreEchoed() {
        PoolConfig.Builder b = PoolConfig.builder().size(2);
        IllegalStateException twice = assertThrows(IllegalStateException.class, () -> b.size(3));
        assertEquals("size was already set to 2", twice.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> PoolConfig.builder().requestTimeout(Duration.ofSeconds(-1)));
        assertEquals("requestTimeout is -1 s, but must be positive", bad.getMessage());
        bad = assertThrows(IllegalArgumentException.class, () -> PoolConfig.builder().maxQueueSize(-1));
        assertEquals("maxQueueSize is -1, but must be at least 0", bad.getMessage());
        bad = assertThrows(IllegalArgumentException.class, () -> PoolConfig.builder().command(List.of()));
        assertEquals("command is empty: give the program and its arguments", bad.getMessage());
        IllegalStateException none = assertThrows(IllegalStateException.class, () -> PoolConfig.builder().build());
        assertTrue(none.getMessage().startsWith("no command was given"), none.getMessage());
        IllegalStateException backoff = assertThrows(IllegalStateException.class, () -> PoolConfig.builder()
                .command("cat").restartBackoff(Duration.ofSeconds(2), Duration.ofMillis(500)).build());
        assertEquals("maxRestartBackoff 500 ms is below restartBackoff 2 s", backoff.getMessage());
    }

    @Test
    void workersGetOnlyTheAllowlistPlusWhatIsSet() {
        Map<String, String> parent = Map.of("PATH", "/bin", "HOME", "/root", "SECRET_TOKEN", "s3cret");
        PoolConfig c = PoolConfig.builder().command("env").environment("API_URL", "http://127.0.0.1").build();
        Map<String, String> env = c.workerEnvironment(parent);
        assertEquals(Map.of("PATH", "/bin", "HOME", "/root", "API_URL", "http://127.0.0.1"), env);
        assertFalse(env.containsKey("SECRET_TOKEN"));

        PoolConfig narrow = PoolConfig.builder().command("env").inheritEnvironment("PATH").build();
        assertEquals(Map.of("PATH", "/bin"), narrow.workerEnvironment(parent));

        PoolConfig all = PoolConfig.builder().command("env").inheritAllEnvironment().build();
        assertEquals("s3cret", all.workerEnvironment(parent).get("SECRET_TOKEN"));
    }

    @Test
    void toBuilderCopiesEverything() {
        PoolConfig c = PoolConfig.builder().command("cat").size(2).maxQueueSize(7).transport("line")
                .transportSetting("framing", "newline").build();
        PoolConfig copy = c.toBuilder().build();
        assertEquals(c.toString(), copy.toString());
        assertEquals(Map.of("framing", "newline"), copy.transportSettings());
    }

    @Test
    void toBuilderLetsACopiedOptionBeSetOnceMore() {
        PoolConfig c = PoolConfig.builder().command("cat").size(1).requestTimeout(Duration.ofSeconds(5)).build();
        PoolConfig.Builder b = c.toBuilder().size(4).maxSize(4);
        assertEquals("size was already set to 4", assertThrows(IllegalStateException.class, () -> b.size(5)).getMessage());
        PoolConfig copy = b.build();
        assertEquals(4, copy.size());
        assertEquals(Duration.ofSeconds(5), copy.requestTimeout(), "what was not changed is copied");
    }

    @Test
    void aCopyFitsDefaultSizesAgain() {
        PoolConfig narrow = PoolConfig.fromEnvironment(Map.of("HANDLER_POOL_MAX", "2")).command("cat").build();
        PoolConfig wide = narrow.toBuilder().maxSize(8).build();
        assertEquals(3, wide.size(), "the default size is no longer held down by the old maximum");
        assertTrue(narrow.toBuilder().build().toString().contains("maxSize=2 (from HANDLER_POOL_MAX)"),
                "a copy keeps where its values came from");
    }

    @Test
    void eachPoolGetsItsOwnPolicyFromASupplier() {
        PoolConfig c = PoolConfig.builder().command("cat").scalingPolicy(() -> new Counting()).build();
        ScalingPolicy first = c.scalingPolicy().orElseThrow().get();
        ScalingPolicy second = c.scalingPolicy().orElseThrow().get();
        assertNotSame(first, second);
        assertTrue(c.toString().contains("scalingPolicy=supplied per pool"), c::toString);

        ScalingPolicy shared = ctx -> 2;
        PoolConfig instance = PoolConfig.builder().command("cat").scalingPolicy(shared).build();
        assertSame(shared, instance.scalingPolicy().orElseThrow().get());
        assertTrue(instance.toString().contains("scalingPolicy=shared instance"), instance::toString);
    }

    @Test
    void scalingSettingsBesideAPolicyInstanceAreAnError() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> PoolConfig.builder().command("cat")
                .scalingPolicy(() -> new Counting()).scalingSetting("mode", "bogus").build());
        assertTrue(e.getMessage().startsWith("scaling settings {mode=bogus} are set, but the scaling policy was given"
                + " as supplied per pool, which does not read them"), e.getMessage());
    }

    @Test
    void theCallbackExecutorIsKept() {
        Executor direct = Runnable::run;
        assertSame(direct, PoolConfig.builder().command("cat").callbackExecutor(direct).build()
                .callbackExecutor().orElseThrow());
    }

    @Test
    void toStringShowsEveryOption() {
        String s = PoolConfig.builder().command("cat", "-u").build().toString();
        for (ConfigOption<?> o : ConfigOption.ALL) {
            assertTrue(s.contains(", " + o.name() + "=") || s.startsWith("PoolConfig[" + o.name() + "="),
                    o.name() + " missing from " + s);
        }
        assertTrue(s.contains("command=[cat, -u]"), s);
        assertTrue(s.contains("requestTimeout=5 min"), s);
        assertTrue(s.contains("queueTimeout=none"), s);
    }

    private static String buildFails(Class<? extends RuntimeException> type, Map<String, String> env) {
        return assertThrows(type, () -> PoolConfig.fromEnvironment(env).command("cat").build()).getMessage();
    }

    /** A policy with state, the kind that must not be shared between pools. */
    private static final class Counting implements ScalingPolicy {
        private int ticks;

        @Override
        public int desiredSize(dev.warmpool.api.spi.ScalingContext context) {
            return ++ticks;
        }
    }
}
