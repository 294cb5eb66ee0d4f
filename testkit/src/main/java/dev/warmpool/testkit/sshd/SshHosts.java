package dev.warmpool.testkit.sshd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A set of real OpenSSH servers as separate "hosts" on loopback addresses, sharing one temporary directory
 * of keys and configuration: an ed25519 host key and user key made by {@code ssh-keygen}, the user key
 * authorized, and a client configuration ({@link #clientConfig()}, for {@code ssh -F}) that trusts the
 * servers without touching any {@code known_hosts} of the user's.
 *
 * <p>{@link #close()} kills every server and its sessions and deletes the directory; a failed
 * {@link #start(String...)} cleans up the same way before it throws. Not thread-safe: one test (or
 * benchmark set-up) drives it at a time.
 */
public final class SshHosts implements AutoCloseable {
    private final Path dir;
    private final List<Sshd> servers = new ArrayList<>();

    private SshHosts(Path dir) {
        this.dir = dir;
    }

    /**
     * Makes the keys and configuration in a new temporary directory and starts one server per address.
     *
     * @param addresses loopback addresses, such as {@code 127.0.0.2} and {@code 127.0.0.3}, one server each
     * @return the running servers
     * @throws IllegalArgumentException if no address is given
     * @throws IllegalStateException if the servers cannot run here ({@link Sshd#unavailable()} names why),
     *     or a key cannot be made or a server does not start (the message has its output)
     * @throws IOException if the directory or a file in it cannot be written
     * @throws InterruptedException if interrupted while waiting for a tool or a server
     */
    public static SshHosts start(String... addresses) throws IOException, InterruptedException {
        if (addresses.length == 0) {
            throw new IllegalArgumentException("no address to start sshd on: give one or more, such as 127.0.0.2");
        }
        Optional<String> why = Sshd.unavailable();
        if (why.isPresent()) {
            throw new IllegalStateException("cannot start sshd here: " + why.get());
        }
        SshHosts h = new SshHosts(Files.createTempDirectory("warmpool-sshd"));
        try {
            h.prepare();
            for (String a : addresses) {
                h.servers.add(Sshd.start(h.dir, a));
            }
            return h;
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            h.close();
            throw e;
        }
    }

    private void prepare() throws IOException, InterruptedException {
        run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("host_key").toString()));
        run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("id").toString()));
        Files.copy(dir.resolve("id.pub"), dir.resolve("authorized_keys"));
        Files.writeString(clientConfig(), String.join("\n",
                "Host *",
                "  StrictHostKeyChecking no",
                "  UserKnownHostsFile " + dir.resolve("known_hosts"),
                "  GlobalKnownHostsFile /dev/null",
                "  IdentityFile " + dir.resolve("id"),
                "  IdentitiesOnly yes",
                "  LogLevel ERROR",
                ""));
        if (ProcessHandle.current().info().user().orElse("").equals("root")) {
            // sshd running as root insists on its privilege separation directory
            Files.createDirectories(Path.of("/run/sshd"));
        }
    }

    private static void run(List<String> argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int status = p.waitFor();
        if (status != 0) {
            throw new IllegalStateException(String.join(" ", argv) + " exited with code " + status + ": " + out);
        }
    }

    /** {@return the directory of the keys, configuration and logs; tests may put files of their own there} */
    public Path dir() {
        return dir;
    }

    /** {@return the ssh client configuration (for {@code ssh -F}) that trusts these servers and holds the user key} */
    public Path clientConfig() {
        return dir.resolve("ssh_config");
    }

    /** {@return the servers, in the order of their addresses} */
    public List<Sshd> servers() {
        return List.copyOf(servers);
    }

    /**
     * Returns one server.
     *
     * @param index its place among the addresses given to {@link #start(String...)}, from 0
     * @return the server
     * @throws IndexOutOfBoundsException if there is no such server
     */
    public Sshd server(int index) {
        return servers.get(index);
    }

    /**
     * Starts again every server a test killed.
     *
     * @throws IOException if one cannot be started
     * @throws InterruptedException if interrupted while waiting for one to listen
     */
    public void ensureRunning() throws IOException, InterruptedException {
        for (Sshd s : servers) {
            s.ensureRunning();
        }
    }

    /**
     * Kills every server and its sessions and deletes the directory.
     *
     * @throws IOException if the directory cannot be deleted
     * @throws InterruptedException if interrupted while waiting for a server to exit
     */
    @Override
    public void close() throws IOException, InterruptedException {
        for (Sshd s : servers) {
            s.kill();
        }
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
