package dev.warmpool.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warmpool.api.PoolConfig;
import dev.warmpool.scaler.queuedepth.QueueDepthPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a handler pool is built with: the plan's defaults, the variables, and clear refusals. */
class HandlerPoolBuilderTest {
    @TempDir
    Path project;

    private PoolConfig config(Map<String, String> variables) {
        return HandlerPool.fromEnvironment(project, variables).noShutdownHook().build().poolConfig();
    }

    @Test
    void theDefaultsAreThePlans() {
        HandlerPool pool = HandlerPool.builder(project).noShutdownHook().build();
        PoolConfig c = pool.poolConfig();
        assertEquals(HandlerMode.AUTO, pool.mode());
        assertEquals(List.of("claude"), c.command());
        assertEquals(List.of(3, 1, 10), List.of(c.size(), c.minSize(), c.maxSize()));
        assertEquals(Duration.ofSeconds(300), c.requestTimeout());
        assertEquals(Duration.ofSeconds(300), c.queueTimeout().orElseThrow());
        assertEquals(100, c.maxRequestsPerWorker());
        assertEquals(10, c.maxRequestsJitter());
        assertEquals(PoolConfig.DispatchOrder.LEAST_RECENTLY_USED, c.dispatchOrder());
        assertEquals(Duration.ofSeconds(30), c.scalingInterval());
        assertEquals(project.toAbsolutePath(), c.directory().orElseThrow());
        assertEquals("claude", c.transportName());
        assertFalse(c.shutdownHook(), "the handler pool has the one hook for warm and cold");
    }

    @Test
    void scalingIsThePlansRuleOnTheQueueDepthPolicy() {
        QueueDepthPolicy policy = (QueueDepthPolicy) config(Map.of()).scalingPolicy().orElseThrow().get();
        assertEquals(QueueDepthPolicy.Mode.STEP, policy.mode());
        assertEquals(10, policy.scaleUpThreshold());
        assertEquals(1, policy.maxStep().orElseThrow());
        assertEquals(QueueDepthPolicy.ScaleDownWhen.QUEUE_EMPTY, policy.scaleDownWhen());
    }

    @Test
    void theVariablesSetThePoolAndAnOptionWinsOverItsVariable() {
        Map<String, String> env = Map.of("HANDLER_POOL_SIZE", "4", "HANDLER_POOL_MIN", "2", "HANDLER_POOL_MAX", "6",
                "HANDLER_REQUEST_TIMEOUT", "60", "HANDLER_MAX_REQUESTS", "50", "HANDLER_POOL_MODE", "spawn");
        PoolConfig c = config(env);
        assertEquals(List.of(4, 2, 6), List.of(c.size(), c.minSize(), c.maxSize()));
        assertEquals(Duration.ofSeconds(60), c.requestTimeout());
        assertEquals(50, c.maxRequestsPerWorker());
        assertEquals(5, c.maxRequestsJitter());
        HandlerPool p = HandlerPool.fromEnvironment(project, env).size(5).mode(HandlerMode.POOL).maxRequestsPerWorker(0)
                .noShutdownHook().build();
        assertEquals(5, p.poolConfig().size());
        assertEquals(HandlerMode.POOL, p.mode());
        assertEquals(0, p.poolConfig().maxRequestsPerWorker(), "0: no recycling");
    }

    @Test
    void theCliGetsItsOwnVariablesFromTheEnvironmentAndTheExplicitOnesOverThem() {
        PoolConfig c = HandlerPool.fromEnvironment(project, Map.of("ANTHROPIC_API_KEY", "from-env",
                        "CLAUDE_CODE_MAX_RETRIES", "2", "DISABLE_AUTOUPDATER", "1", "AWS_SECRET_ACCESS_KEY", "no",
                        "HANDLER_POOL_SIZE", "1"))
                .environment("ANTHROPIC_API_KEY", "explicit").environment("HOME", "/var/lib/listener")
                .noShutdownHook().build().poolConfig();
        assertEquals(Map.of("ANTHROPIC_API_KEY", "explicit", "CLAUDE_CODE_MAX_RETRIES", "2", "DISABLE_AUTOUPDATER", "1",
                "HOME", "/var/lib/listener"), c.environment());
        assertFalse(c.inheritAllEnvironment());
    }

    @Test
    void badVariablesAreRefusedNamingTheVariableAndTheValue() {
        assertEquals("environment variable HANDLER_POOL_MODE is 'warm', but must be one of pool, spawn, auto",
                assertThrows(IllegalArgumentException.class, () -> config(Map.of("HANDLER_POOL_MODE", "warm"))).getMessage());
        assertEquals("environment variable HANDLER_MAX_REQUESTS is '-1', but must be a whole number of at least 0 (0: never recycle)",
                assertThrows(IllegalArgumentException.class, () -> config(Map.of("HANDLER_MAX_REQUESTS", "-1"))).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> config(Map.of("HANDLER_POOL_SIZE", "three")))
                .getMessage().startsWith("environment variable HANDLER_POOL_SIZE is 'three'"));
        String sizes = assertThrows(IllegalStateException.class,
                () -> config(Map.of("HANDLER_POOL_MIN", "5", "HANDLER_POOL_MAX", "2"))).getMessage();
        assertTrue(sizes.contains("(from HANDLER_POOL_MIN)") && sizes.contains("(from HANDLER_POOL_MAX)"), sizes);
    }

    @Test
    void theCommandMustLeaveOutTheOptionsHandlerPoolAdds() {
        for (List<String> bad : List.of(List.of("claude", "-p"), List.of("claude", "--output-format", "json"),
                List.of("claude", "--input-format=stream-json"), List.of("claude", "--print"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> HandlerPool.builder(project).command(bad).noShutdownHook().build());
            assertTrue(e.getMessage().startsWith("the command " + bad + " has "), e.getMessage());
        }
        assertEquals(List.of("claude", "--model", "sonnet", "--verbose"), HandlerPool.builder(project)
                .command("claude", "--model", "sonnet", "--verbose").noShutdownHook().build().poolConfig().command());
    }

    @Test
    void optionsAreSetOnceAndBadValuesEchoed() {
        HandlerPool.Builder b = HandlerPool.builder(project).size(2);
        assertEquals("size was already set", assertThrows(IllegalStateException.class, () -> b.size(3)).getMessage());
        assertEquals("maxRequestsPerWorker is -1, but must be at least 0",
                assertThrows(IllegalArgumentException.class, () -> b.maxRequestsPerWorker(-1)).getMessage());
        assertEquals("requestTimeout is PT0S, but must be positive",
                assertThrows(IllegalArgumentException.class, () -> b.requestTimeout(Duration.ZERO)).getMessage());
        b.environment("HOME", "/a");
        assertEquals("environment variable HOME was already set to '/a'",
                assertThrows(IllegalStateException.class, () -> b.environment("HOME", "/b")).getMessage());
    }

    @Test
    void theProjectDirectoryMustExist() {
        Path missing = project.resolve("nope");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HandlerPool.builder(missing).noShutdownHook().build());
        assertTrue(e.getMessage().startsWith("the project directory " + missing + " does not exist"), e.getMessage());
    }
}
