package dev.warmpool.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warmpool.testkit.TestWorkers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** A JVM running a test's main class that starts a pool and prints its worker pids as {@code pids [a, b]}. */
final class ChildJvm {
    private ChildJvm() {
    }

    /** @return the started JVM (its stderr discarded) */
    static Process start(Class<?> mainClass) throws IOException {
        return new ProcessBuilder(TestWorkers.java(mainClass)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** @return the pids the child printed; reads (and closes) its stdout up to that line */
    static List<Long> workerPids(Process child) throws IOException {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("pids ")) {
                // skip anything else the child prints
            }
            assertTrue(line != null, "the child JVM printed no pids");
            return Arrays.stream(line.substring("pids [".length(), line.length() - 1).split(",\\s*"))
                    .map(Long::parseLong).toList();
        }
    }

    /** @return whether the process is alive */
    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
