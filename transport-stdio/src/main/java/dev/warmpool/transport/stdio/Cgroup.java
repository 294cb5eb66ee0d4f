package dev.warmpool.transport.stdio;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cgroup v2 directory that this JVM created to hold its workers, one child per worker, and the
 * kernel operations on such directories: kill everything inside ({@code cgroup.kill}, which also
 * reaches processes that left their process group or session), list the members, tell whether
 * anything is left, remove.
 *
 * <p>{@link #create} finds a writable cgroup v2 hierarchy from {@code /proc/self/mountinfo} and
 * {@code /proc/self/cgroup}: first the JVM's own cgroup (a delegated subtree, as systemd gives a
 * user service), then the root of each cgroup2 mount. A candidate counts only when a directory can
 * be made in it <em>and</em> a probe process can move itself into a child (moving needs write access
 * to the common ancestor, which {@code mkdir} alone does not prove).
 *
 * <p>Thread-safe: every method is a few system calls on the cgroup file system; none of them blocks
 * on another process except the one-time probe in {@link #create} (at most {@value #PROBE_MILLIS} ms).
 */
final class Cgroup {
    private static final Logger LOG = LoggerFactory.getLogger(Cgroup.class);
    private static final long PROBE_MILLIS = 2000;
    /** The prefix of the directory one JVM creates; the rest is its token ({@code PID-RANDOM}). */
    static final String PREFIX = "warmpool-";

    private final Path dir;

    private Cgroup(Path dir) {
        this.dir = dir;
    }

    /** @return the JVM's directory, e.g. {@code /sys/fs/cgroup/unified/warmpool-4711-9f3a01c2} */
    Path dir() {
        return dir;
    }

    /**
     * Finds a place for this JVM's workers and makes its directory there.
     *
     * @param token this JVM's token, the directory's name after {@value #PREFIX}
     * @param parent a directory the user named, or empty to search
     * @param sh the shell that runs the probe
     * @return the directory, or empty (with the reason at DEBUG) where no writable cgroup v2 exists
     * @throws IllegalStateException if the user named a parent that cannot be used, saying why
     */
    static Optional<Cgroup> create(String token, Optional<Path> parent, Path sh) {
        List<Path> candidates = parent.map(List::of).orElseGet(Cgroup::candidates);
        List<String> reasons = new ArrayList<>();
        for (Path c : candidates) {
            Optional<String> whyNot = tryCreate(c.resolve(PREFIX + token), sh);
            if (whyNot.isEmpty()) {
                sweepStale(c);
                return Optional.of(new Cgroup(c.resolve(PREFIX + token)));
            }
            reasons.add(c + ": " + whyNot.get());
        }
        if (parent.isPresent()) {
            throw new IllegalStateException("system property " + Containment.CGROUP_PROPERTY + " names "
                    + parent.get() + ", which cannot hold workers: " + String.join("; ", reasons));
        }
        LOG.debug("no writable cgroup v2 hierarchy for worker containment{}", reasons.isEmpty()
                ? " (none is mounted)" : ": " + String.join("; ", reasons));
        return Optional.empty();
    }

    /** @return the JVM's own cgroup, then the root of each cgroup2 mount, without repeats */
    private static List<Path> candidates() {
        if (!ProcessTree.HAS_PROC) {
            return List.of();
        }
        try {
            return candidates(Files.readString(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8),
                    Files.readString(Path.of("/proc/self/cgroup"), StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /**
     * @param mountinfo the text of {@code /proc/self/mountinfo}
     * @param selfCgroup the text of {@code /proc/self/cgroup}
     * @return where to try, best first: the JVM's own cgroup v2 directory under each cgroup2 mount
     *     that shows it, then each such mount's root
     */
    static List<Path> candidates(String mountinfo, String selfCgroup) {
        String own = null;
        for (String line : selfCgroup.split("\n")) {
            if (line.startsWith("0::")) {
                own = line.substring(3).strip();
                if (own.endsWith(" (deleted)")) {
                    own = null;
                }
            }
        }
        List<String[]> mounts = new ArrayList<>();
        for (String line : mountinfo.split("\n")) {
            int sep = line.indexOf(" - ");
            if (sep < 0 || !line.substring(sep + 3).startsWith("cgroup2 ")) {
                continue;
            }
            String[] f = line.substring(0, sep).split(" ");
            if (f.length >= 5) {
                mounts.add(new String[] {unescape(f[3]), unescape(f[4])});
            }
        }
        LinkedHashSet<Path> out = new LinkedHashSet<>();
        if (own != null) {
            for (String[] m : mounts) {
                String root = m[0];
                if (own.equals(root) || root.equals("/") || own.startsWith(root + "/")) {
                    String rel = own.substring(root.equals("/") ? 0 : root.length()).replaceFirst("^/+", "");
                    out.add(rel.isEmpty() ? Path.of(m[1]) : Path.of(m[1]).resolve(rel));
                }
            }
        }
        for (String[] m : mounts) {
            out.add(Path.of(m[1]));
        }
        return List.copyOf(out);
    }

    /** mountinfo writes space, tab, newline and backslash as octal escapes ({@code \040}). */
    private static String unescape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** @return empty if {@code dir} was made and a process could join a child of it, else why not */
    private static Optional<String> tryCreate(Path dir, Path sh) {
        try {
            Files.createDirectory(dir);
        } catch (IOException | RuntimeException e) {
            return Optional.of("cannot make a directory (" + e + ")");
        }
        Optional<String> whyNot = probe(dir, sh);
        if (whyNot.isPresent()) {
            remove(dir);
        }
        return whyNot;
    }

    private static Optional<String> probe(Path dir, Path sh) {
        if (!Files.exists(dir.resolve("cgroup.procs"))) {
            return Optional.of("it is not a cgroup v2 directory");
        }
        Path probe = dir.resolve("probe");
        try {
            Files.createDirectory(probe);
            Process p = new ProcessBuilder(sh.toString(), "-c", "echo $$ > \"$0\"", probe.resolve("cgroup.procs").toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            if (!p.waitFor(PROBE_MILLIS, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return Optional.of("the probe process did not finish within " + PROBE_MILLIS + " ms");
            }
            return p.exitValue() == 0 ? Optional.empty()
                    : Optional.of("a process cannot move itself into it (exit status " + p.exitValue() + ")");
        } catch (IOException | RuntimeException e) {
            return Optional.of("cannot probe it (" + e + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while probing");
        } finally {
            remove(probe);
        }
    }

    /**
     * Removes the empty directories of JVMs that are gone (a watchdog that was itself killed could
     * not). A directory that still holds a process cannot be removed: the kernel refuses.
     */
    private static void sweepStale(Path parent) {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(parent, PREFIX + "*")) {
            for (Path d : dirs) {
                String rest = d.getFileName().toString().substring(PREFIX.length());
                int dash = rest.indexOf('-');
                if (dash > 0 && rest.substring(0, dash).matches("[0-9]{1,10}")
                        && ProcessHandle.of(Long.parseLong(rest.substring(0, dash))).isEmpty()) {
                    remove(d);
                }
            }
        } catch (IOException | RuntimeException e) {
            // nothing to sweep, or not allowed to: harmless
        }
    }

    /**
     * Makes a worker's child directory.
     *
     * @param name the child's name
     * @return its path
     * @throws IOException if it cannot be made
     */
    Path child(String name) throws IOException {
        if (!Files.isDirectory(dir)) {
            // removed while no worker was running (see Containment); the probe proved it can be made
            Files.createDirectory(dir);
        }
        return Files.createDirectory(dir.resolve(name));
    }

    /**
     * Kills every process in {@code group} and its children with SIGKILL: through {@code cgroup.kill}
     * (Linux 5.14+), which the kernel applies to forks in flight too, else by signalling each member
     * until none is left. Never throws.
     */
    static void kill(Path group) {
        Path kill = group.resolve("cgroup.kill");
        if (Files.exists(kill)) {
            try {
                Files.writeString(kill, "1");
                return;
            } catch (IOException | RuntimeException e) {
                LOG.debug("writing {} failed: {}", kill, e.toString());
            }
        }
        for (int round = 0; round < 10; round++) {
            List<Long> left = members(group);
            if (left.isEmpty()) {
                return;
            }
            left.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
    }

    /** @return the pids in {@code group} and its children; empty if it is gone */
    static List<Long> members(Path group) {
        List<Long> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(group)) {
            for (Path f : files.filter(f -> f.getFileName().toString().equals("cgroup.procs")).toList()) {
                for (String line : Files.readAllLines(f, StandardCharsets.US_ASCII)) {
                    if (!line.isBlank()) {
                        out.add(Long.parseLong(line.strip()));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone meanwhile: what was read is what there is
        }
        return out;
    }

    /** @return whether any process is left in {@code group} or its children */
    static boolean populated(Path group) {
        try {
            for (String line : Files.readAllLines(group.resolve("cgroup.events"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("populated ")) {
                    return !line.endsWith(" 0");
                }
            }
        } catch (IOException | RuntimeException e) {
            return !members(group).isEmpty();
        }
        return !members(group).isEmpty();
    }

    /**
     * Removes {@code group} and its children, deepest first; a directory that still holds a process
     * stays (the kernel refuses). Never throws.
     *
     * @return whether it is gone
     */
    static boolean remove(Path group) {
        try (Stream<Path> files = Files.walk(group)) {
            List<Path> dirs = new ArrayList<>(files.filter(Files::isDirectory).toList());
            java.util.Collections.reverse(dirs);
            for (Path d : dirs) {
                try {
                    Files.delete(d);
                } catch (IOException e) {
                    // busy: a process is still inside
                }
            }
        } catch (IOException | RuntimeException e) {
            // already gone
        }
        return !Files.exists(group);
    }
}
