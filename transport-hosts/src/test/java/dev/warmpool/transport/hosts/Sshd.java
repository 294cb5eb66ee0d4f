package dev.warmpool.transport.hosts;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Test fixture: real OpenSSH servers ({@code /usr/sbin/sshd -D -e -f CONFIG}) as separate "hosts" on
 * loopback addresses, with host and user keys made by {@code ssh-keygen} in a temporary directory and a
 * client configuration beside them; nothing of the system's ssh configuration is read or changed.
 */
final class Sshd {
    static final Path SSHD = Path.of("/usr/sbin/sshd");

    private final Path dir;
    private final String address;
    private final int port;
    private final Path config;
    private Process process;

    private Sshd(Path dir, String address, int port) {
        this.dir = dir;
        this.address = address;
        this.port = port;
        this.config = dir.resolve("sshd-" + address + ".conf");
    }

    /** {@return why these tests cannot run here, if they cannot} */
    static Optional<String> unavailable() {
        if (!Files.isExecutable(SSHD)) {
            return Optional.of("/usr/sbin/sshd is not installed (Debian: apt-get install openssh-server)");
        }
        for (String tool : List.of("ssh", "ssh-keygen", "setsid")) {
            if (!onPath(tool)) {
                return Optional.of(tool + " is not on the PATH");
            }
        }
        return Optional.empty();
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Makes the keys and the client configuration in {@code dir}. */
    static void prepare(Path dir) throws Exception {
        run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("host_key").toString()));
        run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("id").toString()));
        Files.copy(dir.resolve("id.pub"), dir.resolve("authorized_keys"));
        Files.writeString(dir.resolve("ssh_config"), String.join("\n",
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

    static Sshd start(Path dir, String address) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(address))) {
            port = s.getLocalPort();
        }
        Sshd d = new Sshd(dir, address, port);
        Files.writeString(d.config, String.join("\n",
                "ListenAddress " + address + ":" + port,
                "HostKey " + dir.resolve("host_key"),
                "PidFile " + dir.resolve("sshd-" + address + ".pid"),
                "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                "StrictModes no",
                "UsePAM no",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PubkeyAuthentication yes",
                "PermitRootLogin prohibit-password",
                "MaxSessions 200",
                "MaxStartups 200",
                "LogLevel ERROR",
                ""));
        d.startProcess();
        return d;
    }

    private void startProcess() throws Exception {
        process = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("sshd-" + address + ".log").toFile()))
                .start();
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (java.net.Socket s = new java.net.Socket(address, port)) {
                return;
            } catch (IOException e) {
                if (!process.isAlive() || System.nanoTime() - until > 0) {
                    throw new IllegalStateException("sshd on " + address + ":" + port + " did not start: "
                            + Files.readString(dir.resolve("sshd-" + address + ".log")), e);
                }
                Thread.sleep(20);
            }
        }
    }

    /** {@return the host URI, {@code ssh://user@address:port}} */
    String uri() {
        return "ssh://" + System.getProperty("user.name") + "@" + address + ":" + port;
    }

    /** {@return what the transport puts after a worker's id: {@code user@address:port}} */
    String label() {
        return uri().substring(6);
    }

    /** Kills sshd and every session it serves (SIGKILL): the host goes away mid-run. */
    void kill() throws InterruptedException {
        if (process == null) {
            return;
        }
        ProcessHandle h = process.toHandle();
        List<ProcessHandle> sessions = h.descendants().filter(p -> p.info().command().map(c -> c.contains("sshd")).orElse(false)).toList();
        h.destroyForcibly();
        sessions.forEach(ProcessHandle::destroyForcibly);
        process.waitFor(5, TimeUnit.SECONDS);
        process = null;
    }

    /** Starts sshd again if a test killed it. */
    void ensureRunning() throws Exception {
        if (process == null) {
            startProcess();
        }
    }

    /** Starts sshd again on the same address and port. */
    void restart() throws Exception {
        startProcess();
    }

    /** Deletes the fixture's directory, keys and logs. */
    static void delete(Path dir) throws IOException {
        if (dir == null) {
            return;
        }
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void run(List<String> argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(argv + " failed: " + out);
        }
    }
}
