package dev.warmpool.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Counts what a pool holds, to check it is all given back. */
final class Hygiene {
    private Hygiene() {
    }

    /** @return the open file descriptors of this JVM (Linux), or 0 where /proc is missing */
    static long openFileDescriptors() {
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(fds)) {
            return s.count();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return live platform threads whose names say they belong to a pool or a worker */
    static long poolThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith("warmpool")).count();
    }
}
