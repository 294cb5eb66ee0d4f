package dev.warmpool.core;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warmpool.api.PoolConfig;
import dev.warmpool.api.PoolMetrics.SpawnCause;
import dev.warmpool.api.ProtocolException;
import dev.warmpool.testkit.TestWorkers;
import dev.warmpool.testkit.WireWorker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the pool does with the exact bytes real programs emit, through a real pool and process. */
@Timeout(60)
class WireTest {
    private static final int LIMIT = 4096;
    private final List<WarmPool> pools = new ArrayList<>();

    private WarmPool pool(String... shape) {
        WarmPool p = WarmPool.start(PoolConfig.builder().command(TestWorkers.java(WireWorker.class, shape)).size(1)
                .maxFrameBytes(LIMIT).scalingInterval(Duration.ZERO).noShutdownHook().build());
        pools.add(p);
        return p;
    }

    private static Object answer(WarmPool p) {
        return p.submit("any", List.of()).join();
    }

    private static ProtocolException violation(WarmPool p) {
        CompletableFuture<Object> f = p.submit("any", List.of());
        CompletionException e = assertThrows(CompletionException.class, f::join);
        return assertInstanceOf(ProtocolException.class, e.getCause());
    }

    @AfterEach
    void nothingLeftBehind() {
        pools.forEach(p -> p.shutdown(Duration.ofSeconds(5)));
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.current().descendants().noneMatch(ProcessHandle::isAlive));
    }

    @Test
    void crlfLineEndsAreTolerated() {
        assertEquals("crlf", answer(pool("crlf")));
    }

    @Test
    void aLeadingByteOrderMarkIsTolerated() {
        assertEquals("bom", answer(pool("bom")));
    }

    @Test
    void aFrameSplitAcrossManyWritesIsReassembled() {
        assertEquals("split", answer(pool("split")));
    }

    @Test
    void invalidUtf8IsAProtocolViolationAndTheWorkerIsReplaced() {
        WarmPool p = pool("invalid-utf8");
        violation(p);
        await().atMost(Duration.ofSeconds(20)).until(() -> p.metrics().spawns().get(SpawnCause.PROTOCOL) == 1);
    }

    @Test
    void aFrameOfExactlyTheLimitIsAccepted() {
        Object result = answer(pool("size", String.valueOf(LIMIT)));
        assertTrue(result instanceof String s && s.length() > LIMIT - 64, String.valueOf(result).length() + " chars");
    }

    @Test
    void aFrameOneByteOverTheLimitFailsNamingSizeAndLimit() {
        WarmPool p = pool("size", String.valueOf(LIMIT + 1));
        ProtocolException e = violation(p);
        assertTrue(e.getMessage().contains(String.valueOf(LIMIT)), e.getMessage());
        await().atMost(Duration.ofSeconds(20)).until(() -> p.metrics().spawns().get(SpawnCause.PROTOCOL) == 1);
    }

    @Test
    void nestingWithinTheParserLimitIsAccepted() {
        assertEquals(List.of(List.of(List.of())), answer(pool("deep", "3")));
    }

    @Test
    void nestingBeyondTheParserLimitIsAProtocolViolation() {
        ProtocolException e = violation(pool("deep", "1000"));
        assertTrue(e.getMessage().toLowerCase().contains("nesting") || e.getMessage().toLowerCase().contains("depth"),
                e.getMessage());
    }

    @Test
    void malformedJsonFromAWorkerIsAProtocolViolation() {
        violation(pool("malformed"));
    }
}
