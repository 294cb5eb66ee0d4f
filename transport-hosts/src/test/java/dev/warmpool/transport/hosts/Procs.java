package dev.warmpool.transport.hosts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

    private static boolean isZombie(Path p) throws IOException {
        String stat = Files.readString(p.resolve("stat"));
        return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    }
}
