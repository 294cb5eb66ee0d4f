package dev.warmpool.core;

import dev.warmpool.api.PoolConfig;
import dev.warmpool.testkit.EchoWorker;
import dev.warmpool.testkit.TestWorkers;
import java.util.List;

/** Starts a pool, prints its worker pids on one line, then waits to be killed. */
public final class PoolInChildJvm {
    private PoolInChildJvm() {
    }

    public static void main(String[] args) throws Exception {
        WarmPool pool = WarmPool.start(PoolConfig.builder().command(TestWorkers.java(EchoWorker.class)).size(2)
                .noShutdownHook().build());
        pool.submit("echo", List.of(1)).join();
        System.out.println("pids " + pool.workerPids());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
