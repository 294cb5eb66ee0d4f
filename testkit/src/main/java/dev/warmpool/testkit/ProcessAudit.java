package dev.warmpool.testkit;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Lets a test check that no process was left behind: the live descendants of this JVM, and
 * waiting for a process to be gone.
 *
 * <p>Only descendants are visible this way: a grandchild whose parent died is adopted by another
 * process and drops out of {@link #descendantsOfThisJvm()}; find its pid another way (a worker may
 * print it) and use {@link #awaitGone(long, Duration)}.
 *
 * <p>Thread-safe (stateless).
 */
public final class ProcessAudit {
    private ProcessAudit() {
    }

    /** {@return the pids of the live processes this JVM started, directly or not} */
    public static Set<Long> descendantsOfThisJvm() {
        return ProcessHandle.current().descendants()
                .filter(ProcessHandle::isAlive)
                .map(ProcessHandle::pid)
                .collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Waits until a process has exited, for tests that assert nothing is left behind.
     *
     * @param pid a process id
     * @param timeout how long to wait at most
     * @return whether the process is gone (or never existed) within the time
     * @throws InterruptedException if interrupted while waiting
     */
    public static boolean awaitGone(long pid, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<ProcessHandle> h = ProcessHandle.of(pid);
            if (h.isEmpty() || !h.get().isAlive()) {
                return true;
            }
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(10);
        }
    }

    /**
     * Waits until this JVM has no live descendant, and fails if one is left.
     *
     * @param timeout how long to wait at most
     * @throws AssertionError listing each leftover's pid and command line
     * @throws InterruptedException if interrupted while waiting
     */
    public static void assertNoDescendants(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Set<Long> left = descendantsOfThisJvm();
            if (left.isEmpty()) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                Map<Long, String> described = new TreeMap<>();
                for (long pid : left) {
                    described.put(pid, commandLine(pid).orElse("?"));
                }
                throw new AssertionError("processes left behind after " + timeout + ": " + described);
            }
            Thread.sleep(10);
        }
    }

    /**
     * Looks up the command line of a process, for messages that name a process left behind.
     *
     * @param pid a process id
     * @return its command line, if the operating system tells
     */
    public static Optional<String> commandLine(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().commandLine());
    }
}
