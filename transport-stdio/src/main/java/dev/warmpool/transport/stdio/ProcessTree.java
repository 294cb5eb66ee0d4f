package dev.warmpool.transport.stdio;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the operating system can tell about processes beyond {@link ProcessHandle}: the process
 * group and session of a process (from {@code /proc/PID/stat} on Linux), whether it is a zombie,
 * and which processes belong to a group. Everything here degrades to "unknown" where there is no
 * {@code /proc}.
 */
final class ProcessTree {
    private static final Path PROC = Path.of("/proc");

    /** Whether {@code /proc/PID/stat} can be read here (Linux). */
    static final boolean HAS_PROC = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")
            && Files.isReadable(PROC.resolve("self").resolve("stat"));

    private ProcessTree() {
    }

    /**
     * The fields of {@code /proc/PID/stat} that matter here.
     *
     * @param pid the process
     * @param state the one-letter state ({@code R}, {@code S}, {@code Z} ...)
     * @param ppid the parent
     * @param pgrp the process group
     * @param session the session
     */
    record Stat(long pid, char state, long ppid, long pgrp, long session) {
        boolean isZombie() {
            return state == 'Z' || state == 'X' || state == 'x';
        }
    }

    /** @return the process's stat fields, or empty if it is gone or there is no {@code /proc} */
    static Optional<Stat> stat(long pid) {
        if (!HAS_PROC) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(parse(pid, Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"),
                    StandardCharsets.ISO_8859_1)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Parses a {@code /proc/PID/stat} line. The command name (field 2) is in parentheses and may
     * itself contain spaces and parentheses, so the fields are counted from the last {@code ')'}.
     */
    static @Nullable Stat parse(long pid, String line) {
        int close = line.lastIndexOf(')');
        if (close < 0 || close + 2 >= line.length()) {
            return null;
        }
        String[] f = line.substring(close + 2).trim().split(" ", 5);
        if (f.length < 4) {
            return null;
        }
        return new Stat(pid, f[0].charAt(0), Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]));
    }

    /**
     * @return whether the process has ended: gone, or a zombie nobody reaped yet (PID 1 in a
     *     container does not always reap, and a zombie cannot be signalled or hold a pipe)
     */
    static boolean isGone(ProcessHandle p) {
        if (!p.isAlive()) {
            return true;
        }
        return stat(p.pid()).map(Stat::isZombie).orElse(false);
    }

    /**
     * Reads the stat of every process once, so descendants and group members come from one walk
     * of {@code /proc}.
     *
     * @return the live (non-zombie) processes by pid; empty where there is no {@code /proc}
     */
    static Snapshot scan() {
        Map<Long, Stat> all = new HashMap<>();
        if (!HAS_PROC) {
            return new Snapshot(all);
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC)) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                if (name.isEmpty() || name.charAt(0) < '0' || name.charAt(0) > '9') {
                    continue;
                }
                long pid;
                try {
                    pid = Long.parseLong(name);
                } catch (NumberFormatException e) {
                    continue;
                }
                stat(pid).filter(st -> !st.isZombie()).ifPresent(st -> all.put(pid, st));
            }
        } catch (IOException | RuntimeException e) {
            // /proc vanished or is unreadable: what was read is all there is
        }
        return new Snapshot(all);
    }

    /**
     * Finds processes by an entry of their initial environment ({@code /proc/PID/environ}), the way
     * Jenkins' ProcessTreeKiller finds what a build left: this finds a worker's descendants that
     * left its process group and session, as long as they kept the variable and run as a user whose
     * environment this JVM may read.
     *
     * @param entry {@code NAME=VALUE}, matched exactly
     * @return the pids of the live processes whose environment has it, without this JVM; empty
     *     where there is no {@code /proc}
     */
    static List<Long> withEnvironmentEntry(String entry) {
        List<Long> out = new ArrayList<>();
        if (!HAS_PROC) {
            return out;
        }
        byte[] needle = (entry + "\0").getBytes(StandardCharsets.UTF_8);
        long self = ProcessHandle.current().pid();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC)) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                if (name.isEmpty() || name.charAt(0) < '0' || name.charAt(0) > '9') {
                    continue;
                }
                byte[] env;
                try {
                    env = Files.readAllBytes(dir.resolve("environ"));
                } catch (IOException | RuntimeException e) {
                    continue; // gone, or another user's
                }
                if (hasEntry(env, needle)) {
                    long pid = Long.parseLong(name);
                    if (pid != self && stat(pid).filter(st -> !st.isZombie()).isPresent()) {
                        out.add(pid);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // /proc vanished or is unreadable: what was read is all there is
        }
        return out;
    }

    /** @return whether {@code needle} (an entry with its NUL) starts at the beginning or after a NUL */
    static boolean hasEntry(byte[] env, byte[] needle) {
        int last = env.length - needle.length + 1;
        outer:
        for (int i = 0; i < last; i++) {
            if (i > 0 && env[i - 1] != 0) {
                continue;
            }
            for (int j = 0; j < needle.length; j++) {
                if (env[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        // the last entry may lack its NUL
        return env.length >= needle.length - 1 && endsWithEntry(env, needle);
    }

    private static boolean endsWithEntry(byte[] env, byte[] needle) {
        int n = needle.length - 1;
        int start = env.length - n;
        if (start > 0 && env[start - 1] != 0) {
            return false;
        }
        for (int j = 0; j < n; j++) {
            if (env[start + j] != needle[j]) {
                return false;
            }
        }
        return true;
    }

    /** The processes seen by one {@link #scan()}. */
    static final class Snapshot {
        private final Map<Long, Stat> byPid;

        Snapshot(Map<Long, Stat> byPid) {
            this.byPid = byPid;
        }

        /** @return the pids of all descendants of {@code pid}, parents before children */
        List<Long> descendants(long pid) {
            Map<Long, List<Long>> children = new HashMap<>();
            for (Stat st : byPid.values()) {
                children.computeIfAbsent(st.ppid(), k -> new ArrayList<>()).add(st.pid());
            }
            List<Long> out = new ArrayList<>();
            ArrayDeque<Long> todo = new ArrayDeque<>(children.getOrDefault(pid, List.of()));
            while (!todo.isEmpty() && out.size() < byPid.size()) {
                long c = todo.removeFirst();
                out.add(c);
                todo.addAll(children.getOrDefault(c, List.of()));
            }
            return out;
        }

        /**
         * @param pgid the group id (the pid of the worker that {@code setsid} made its leader)
         * @return the pids of the group's live members, without the current JVM
         */
        List<Long> group(long pgid) {
            List<Long> out = new ArrayList<>();
            if (pgid <= 1) {
                return out;
            }
            long self = ProcessHandle.current().pid();
            for (Stat st : byPid.values()) {
                if (st.pgrp() == pgid && st.pid() != self) {
                    out.add(st.pid());
                }
            }
            return out;
        }
    }

    /**
     * Lists the live members of a process group.
     *
     * @param pgid the group id
     * @param startedBefore only processes started before this instant count, or {@code null} for all;
     *     once the group leader is gone its pid may be reused by a new group, whose processes all
     *     started later
     * @return the members, without the current JVM, without zombies
     */
    static List<ProcessHandle> groupMembers(Snapshot snapshot, long pgid, @Nullable Instant startedBefore) {
        List<ProcessHandle> out = new ArrayList<>();
        for (long pid : snapshot.group(pgid)) {
            Optional<ProcessHandle> h = ProcessHandle.of(pid);
            if (h.isEmpty()) {
                continue;
            }
            if (startedBefore != null) {
                Optional<Instant> start = h.get().info().startInstant();
                if (start.isPresent() && start.get().isAfter(startedBefore)) {
                    continue;
                }
            }
            out.add(h.get());
        }
        return out;
    }

    /**
     * Waits until every one of {@code handles} is {@linkplain #isGone gone}, polling with a short backoff.
     *
     * @return whether they all went within {@code timeout}
     * @throws InterruptedException if interrupted while waiting
     */
    static boolean waitGone(List<ProcessHandle> handles, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long sleep = 1;
        while (true) {
            boolean all = true;
            for (ProcessHandle h : handles) {
                if (!ProcessTree.isGone(h)) {
                    all = false;
                    break;
                }
            }
            if (all) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            Thread.sleep(Math.min(sleep, Math.max(1, left / 1_000_000)));
            sleep = Math.min(sleep * 2, 20);
        }
    }
}
