package dev.warmpool.cli;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** Finds processes left behind by a test. */
final class Processes {
    private Processes() {
    }

    /** @return the live processes whose command line contains {@code marker} */
    static List<ProcessHandle> with(String marker) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                .toList();
    }

    /**
     * Waits until no process has {@code marker} in its command line; fails (and kills them) after 10 s.
     *
     * @param marker a string the test put on the processes' command lines
     * @throws InterruptedException if interrupted
     */
    static void awaitNoneWith(String marker) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<ProcessHandle> left;
        while (!(left = with(marker)).isEmpty()) {
            if (System.nanoTime() > deadline) {
                left.forEach(ProcessHandle::destroyForcibly);
                throw new AssertionError("processes left behind: " + left.stream()
                        .map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList());
            }
            Thread.sleep(50);
        }
    }

    /**
     * Waits until every one of {@code processes} has exited; fails (and kills them) after 10 s.
     *
     * @param processes processes a command started
     * @throws InterruptedException if interrupted
     */
    static void awaitGone(List<ProcessHandle> processes) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (processes.stream().anyMatch(ProcessHandle::isAlive)) {
            if (System.nanoTime() > deadline) {
                List<ProcessHandle> left = processes.stream().filter(ProcessHandle::isAlive).toList();
                left.forEach(ProcessHandle::destroyForcibly);
                throw new AssertionError("processes left behind: " + left.stream()
                        .map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList());
            }
            Thread.sleep(50);
        }
    }
}
