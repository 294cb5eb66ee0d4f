package dev.warmpool.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.warmpool.api.WorkerStartException;
import java.util.List;
import org.junit.jupiter.api.Test;

class WarmSideTest {
    @Test
    void aStartFailureIsSaidOnOneLineWithItsLastStderrLine() {
        WorkerStartException e = new WorkerStartException("the pool could not start any of its 2 workers: worker w-2 "
                + "exited before it was ready (exit status 3); last stderr lines:", List.of("first", "no warm mode here"), null);
        assertEquals("the pool could not start any of its 2 workers: worker w-2 exited before it was ready (exit status 3)"
                + "; its last stderr line: no warm mode here", WarmSide.summary(e));
        assertEquals("worker w-1 exited", WarmSide.oneLine("worker w-1 exited; last stderr lines:\n  boom"));
    }
}
