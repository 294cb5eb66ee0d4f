package dev.warmpool.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The machine a measurement ran on, as a reader of the figures needs it: cores, CPU model,
 * operating system and JDK.
 *
 * @param cores the processors this JVM may use
 * @param cpu the CPU model, or {@code "unknown CPU"} where the system does not say (read from
 *     {@code /proc/cpuinfo} on Linux)
 * @param os the operating system's name, version and architecture
 * @param jdk the Java runtime's version and vendor
 */
record Machine(int cores, String cpu, String os, String jdk) {
    /** @return this machine */
    static Machine current() {
        return new Machine(Runtime.getRuntime().availableProcessors(),
                cpuModel(Path.of("/proc/cpuinfo")).orElse("unknown CPU"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                "Java " + System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vm.vendor") + ")");
    }

    /**
     * @param cpuinfo a file in the format of Linux's {@code /proc/cpuinfo}
     * @return the first {@code model name}, if the file exists and has one
     */
    static Optional<String> cpuModel(Path cpuinfo) {
        if (!Files.isReadable(cpuinfo)) {
            return Optional.empty();
        }
        try (Stream<String> lines = Files.lines(cpuinfo)) {
            return lines.filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip().replaceAll("\\s+", " "))
                    .filter(s -> !s.isEmpty())
                    .findFirst();
        } catch (IOException | java.io.UncheckedIOException e) {
            return Optional.empty();
        }
    }

    /** @return one line for a caption: {@code 2 cores, Intel(R) Xeon(R) Processor, Linux 6.1 amd64, Java 25 (...)} */
    String describe() {
        return cores + (cores == 1 ? " core, " : " cores, ") + cpu + ", " + os + ", " + jdk;
    }
}
