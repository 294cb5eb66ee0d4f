package dev.warmpool.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
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
    }

    @Test
    void anExplicitOptionOverridesTheVariable() {
        PoolConfig c = PoolConfig.fromEnvironment(Map.of("HANDLER_POOL_SIZE", "4")).size(2).command("cat").build();
        assertEquals(2, c.size());
    }

    @Test
    void badVariablesNameTheVariableAndTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PoolConfig.fromEnvironment(Map.of("HANDLER_POOL_SIZE", "three")));
        assertEquals("environment variable HANDLER_POOL_SIZE is 'three', but must be a whole number of at least 1",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> PoolConfig.fromEnvironment(Map.of("HANDLER_REQUEST_TIMEOUT", "0")));
        assertEquals("environment variable HANDLER_REQUEST_TIMEOUT is 0, but must be at least 1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> PoolConfig.fromEnvironment(Map.of("HANDLER_POOL_MAX", "-2")));
        assertEquals("environment variable HANDLER_POOL_MAX is -2, but must be at least 1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> PoolConfig.fromEnvironment(Map.of("HANDLER_POOL_MIN", "1.5")));
        assertTrue(e.getMessage().startsWith("environment variable HANDLER_POOL_MIN is '1.5'"), e.getMessage());
    }

    @Test
    void inconsistentVariablesSayWhereTheValuesCameFrom() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> PoolConfig.fromEnvironment(Map.of("HANDLER_POOL_MIN", "5", "HANDLER_POOL_MAX", "2"))
                        .command("cat").build());
        assertEquals("minSize is 5 (from HANDLER_POOL_MIN), but maxSize is 2 (from HANDLER_POOL_MAX)", e.getMessage());
        e = assertThrows(IllegalStateException.class,
                () -> PoolConfig.fromEnvironment(Map.of("HANDLER_POOL_SIZE", "20")).command("cat").build());
        assertEquals("size is 20 (from HANDLER_POOL_SIZE), but must be within minSize 1 and maxSize 10", e.getMessage());
    }

    @Test
    void optionsAreSetOnceAndValuesAreEchoed() {
        PoolConfig.Builder b = PoolConfig.builder().size(2);
        IllegalStateException twice = assertThrows(IllegalStateException.class, () -> b.size(3));
        assertEquals("size was already set to 2", twice.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> PoolConfig.builder().requestTimeout(Duration.ofSeconds(-1)));
        assertEquals("requestTimeout is PT-1S, but must be positive", bad.getMessage());
        bad = assertThrows(IllegalArgumentException.class, () -> PoolConfig.builder().maxQueueSize(-1));
        assertEquals("maxQueueSize is -1, but must be at least 0", bad.getMessage());
        bad = assertThrows(IllegalArgumentException.class, () -> PoolConfig.builder().command(List.of()));
        assertEquals("command is empty: give the program and its arguments", bad.getMessage());
        IllegalStateException none = assertThrows(IllegalStateException.class, () -> PoolConfig.builder().build());
        assertTrue(none.getMessage().startsWith("no command was given"), none.getMessage());
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
}
