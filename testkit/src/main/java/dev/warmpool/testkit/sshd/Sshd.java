package dev.warmpool.testkit.sshd;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One real OpenSSH server ({@code /usr/sbin/sshd -D -e -f CONFIG}) on a loopback address and a free high
 * port, with the keys and client configuration of the {@link SshHosts} that started it. It accepts the
 * current user with the fixture's key only, and logs to {@code sshd-ADDRESS.log} in the fixture's directory.
 *
 * <p>Not thread-safe: one test (or benchmark set-up) drives it at a time. Its methods block until the
 * server is up or gone.
 */
public final class Sshd {
    /** The OpenSSH server program these fixtures start. */
    public static final Path SSHD = Path.of("/usr/sbin/sshd");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

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

    /**
     * Says why these servers cannot run on this machine, if they cannot: {@code sshd} is not installed, or
     * {@code ssh}, {@code ssh-keygen} or {@code setsid} is not on the {@code PATH}.
     *
     * @return the reason, or empty when they can run
     */
    public static Optional<String> unavailable() {
        if (!Files.isExecutable(SSHD)) {
            return Optional.of(SSHD + " is not installed (Debian: apt-get install openssh-server)");
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

    /** Writes the server's configuration for {@code address} on a free port in {@code dir} and starts it. */
    static Sshd start(Path dir, String address) throws IOException, InterruptedException {
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

    private void startProcess() throws IOException, InterruptedException {
        Path log = dir.resolve("sshd-" + address + ".log");
        process = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        long until = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            try (Socket s = new Socket(address, port)) {
                return;
            } catch (IOException e) {
                if (!process.isAlive() || System.nanoTime() - until > 0) {
                    process.destroyForcibly();
                    process = null;
                    throw new IllegalStateException("sshd on " + address + ":" + port + " did not start within "
                            + START_TIMEOUT.toSeconds() + " s: " + Files.readString(log), e);
                }
                Thread.sleep(20);
            }
        }
    }

    /** {@return the address the server listens on, such as {@code 127.0.0.2}} */
    public String address() {
        return address;
    }

    /** {@return the port the server listens on} */
    public int port() {
        return port;
    }

    /** {@return the host URI of the current user on this server, {@code ssh://user@address:port}} */
    public String uri() {
        return "ssh://" + System.getProperty("user.name") + "@" + address + ":" + port;
    }

    /** {@return the URI without its scheme, {@code user@address:port}, as messages name the host} */
    public String label() {
        return uri().substring("ssh://".length());
    }

    /** {@return whether the server process is running} */
    public boolean running() {
        return process != null && process.isAlive();
    }

    /**
     * Kills the server and every session it serves (SIGKILL): the host goes away mid-run. Does nothing when
     * it is not running.
     *
     * @throws InterruptedException if interrupted while waiting for it to exit
     */
    public void kill() throws InterruptedException {
        if (process == null) {
            return;
        }
        ProcessHandle h = process.toHandle();
        List<ProcessHandle> sessions = h.descendants()
                .filter(p -> p.info().command().map(c -> c.contains("sshd")).orElse(false)).toList();
        h.destroyForcibly();
        sessions.forEach(ProcessHandle::destroyForcibly);
        process.waitFor(5, TimeUnit.SECONDS);
        process = null;
    }

    /**
     * Starts the server again on the same address and port, if it was killed; does nothing when it runs.
     *
     * @throws IOException if it cannot be started
     * @throws InterruptedException if interrupted while waiting for it to listen
     * @throws IllegalStateException if it does not listen within 10 s (the message has its log)
     */
    public void ensureRunning() throws IOException, InterruptedException {
        if (process == null) {
            startProcess();
        }
    }

    /**
     * Starts the server again on the same address and port after {@link #kill()}.
     *
     * @throws IOException if it cannot be started
     * @throws InterruptedException if interrupted while waiting for it to listen
     * @throws IllegalStateException if it is running already, or does not listen within 10 s
     */
    public void restart() throws IOException, InterruptedException {
        if (process != null) {
            throw new IllegalStateException("sshd on " + address + ":" + port + " is running already; kill() it first");
        }
        startProcess();
    }

    @Override
    public String toString() {
        return "sshd " + address + ":" + port + (running() ? "" : " (not running)");
    }
}
