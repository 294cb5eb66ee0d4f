package dev.warmpool.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** What the numbers were measured on: JDK, processors, CPU model, memory, operating system. */
final class Machine {
    private Machine() {
    }

    static Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("jdk", System.getProperty("java.runtime.version", System.getProperty("java.version")));
        m.put("vm", System.getProperty("java.vm.vendor", "") + " " + System.getProperty("java.vm.name", ""));
        m.put("nproc", Runtime.getRuntime().availableProcessors());
        m.put("cpu", procValue("/proc/cpuinfo", "model name").orElse(System.getProperty("os.arch")));
        m.put("memory", procValue("/proc/meminfo", "MemTotal").map(Machine::gib).orElse("unknown memory"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        return m;
    }

    /** @return the 1-minute load average from /proc/loadavg, if there is one */
    static Optional<Double> loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return Optional.of(Double.parseDouble(parts[0]));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** @return the value of the first {@code key : value} line of a /proc file */
    private static Optional<String> procValue(String file, String key) {
        try {
            List<String> lines = Files.readAllLines(Path.of(file));
            for (String line : lines) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
                    return Optional.of(line.substring(colon + 1).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable: say less
        }
        return Optional.empty();
    }

    /** "24576000 kB" to "23 GiB". */
    private static String gib(String meminfo) {
        try {
            long kb = Long.parseLong(meminfo.replace("kB", "").trim());
            return String.format(Locale.ROOT, "%.0f GiB RAM", kb / 1024.0 / 1024.0);
        } catch (NumberFormatException e) {
            return meminfo;
        }
    }
}
