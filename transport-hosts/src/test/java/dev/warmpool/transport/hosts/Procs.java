package dev.warmpool.transport.hosts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Test helper: the processes of this machine (the loopback "hosts" are this machine too) by their command line. */
final class Procs {
    private Procs() {
    }

    /** {@return the pid and command line of every process whose command line contains {@code token}, this JVM aside} */
    static List<String> withArgument(String token) {
        List<String> found = new ArrayList<>();
        long self = ProcessHandle.current().pid();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : procs) {
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
                    if (cmd.contains(token) && Long.parseLong(p.getFileName().toString()) != self && !isZombie(p)) {
                        found.add(p.getFileName() + ": " + cmd.strip());
                    }
                } catch (IOException | NumberFormatException e) {
                    // gone meanwhile
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return found;
    }

    /**
     * Finds the processes that carry one environment entry.
     *
     * @param entry {@code NAME=value}
     * @return the pid and command line of every live process of this user whose environment holds {@code entry}
     */
    static List<String> withEnvironmentEntry(String entry) {
        List<String> found = new ArrayList<>();
        byte[] needle = (entry + "\0").getBytes(StandardCharsets.UTF_8);
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : procs) {
                try {
                    byte[] env = Files.readAllBytes(p.resolve("environ"));
                    if (holds(env, needle) && !isZombie(p)) {
                        String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
                        found.add(p.getFileName() + ": " + cmd.replace('\0', ' ').strip());
                    }
                } catch (IOException e) {
                    // gone meanwhile, or another user's
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return found;
    }

    /** {@return whether {@code needle}, an entry with its NUL, starts at the beginning of {@code env} or after a NUL} */
    private static boolean holds(byte[] env, byte[] needle) {
        for (int i = 0; i + needle.length <= env.length; i++) {
            if ((i == 0 || env[i - 1] == 0) && Arrays.equals(env, i, i + needle.length, needle, 0, needle.length)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isZombie(Path p) throws IOException {
        String stat = Files.readString(p.resolve("stat"));
        return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    }
}
