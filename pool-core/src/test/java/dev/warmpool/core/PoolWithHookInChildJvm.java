package dev.warmpool.core;

import dev.warmpool.api.PoolConfig;
import java.time.Duration;
import java.util.List;

/**
 * Starts a pool with the JVM shutdown hook on (the default), whose workers ignore the end of their
 * input ({@code sleep}, through the {@code line} transport), prints their pids on one line, and
 * returns from main without closing the pool: only the hook can stop the workers.
 */
public final class PoolWithHookInChildJvm {
    private PoolWithHookInChildJvm() {
    }

    public static void main(String[] args) {
        WarmPool pool = WarmPool.start(PoolConfig.builder().command(List.of("sleep", "3600")).transport("line")
                .size(2).stopGrace(Duration.ofMillis(200)).build());
        System.out.println("pids " + pool.workerPids());
        System.out.flush();
    }
}
