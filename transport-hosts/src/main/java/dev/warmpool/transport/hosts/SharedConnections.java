package dev.warmpool.transport.hosts;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The shared ssh connections ({@code ControlMaster}) of one transport: one per ssh host, started by the
 * transport itself with {@code ssh -M -N -f}, outside any worker, so stopping or killing a worker (and the
 * local cleanup of its process tree, cgroup and marker) never ends the connection other workers use. It
 * runs detached and exits {@code ControlPersist} after its last session. Workers connect through its
 * socket with {@code ControlMaster=no}: when the socket is gone (the master died with its host), a
 * worker's ssh connects on its own, and the next start makes a new master; a socket file no master
 * listens on (its master was killed) is removed first.
 *
 * <p>Thread-safe: one start per host at a time; starts on different hosts run in parallel.
 */
final class SharedConnections {
    private final HostsOptions options;
    private final Path dir;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    SharedConnections(HostsOptions options) {
        this.options = options;
        this.dir = Path.of(System.getProperty("java.io.tmpdir"), "warmpool-ssh-" + System.getProperty("user.name"));
    }

    /** {@return the socket of {@code ssh}'s shared connection, if sharing is on} */
    Optional<Path> controlPath(Launcher.Ssh ssh) {
        if (!options.connectionSharing()) {
            return Optional.empty();
        }
        String key = ssh.user().orElse("") + "@" + ssh.host() + ":" + ssh.port().orElse(22) + "|"
                + options.sshConfig().map(Path::toString).orElse("") + "|" + options.identity().map(Path::toString).orElse("");
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            // a Unix socket path has room for about 100 bytes
            return Optional.of(dir.resolve(HexFormat.of().formatHex(d, 0, 10)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /**
     * Makes sure the shared connection to {@code ssh} is up, starting it when its socket is missing.
     *
     * @param host the host, for messages
     * @param env the environment of the ssh client (the worker's: {@code HOME} finds {@code ~/.ssh})
     * @param timeout how long connecting may take
     * @throws HostFailure if the connection cannot be made; the message has ssh's own words
     */
    void ensure(Host host, Launcher.Ssh ssh, Map<String, String> env, Duration timeout) {
        Optional<Path> socket = controlPath(ssh);
        if (socket.isEmpty() || listening(socket.get())) {
            return;
        }
        synchronized (locks.computeIfAbsent(socket.get().toString(), k -> new Object())) {
            if (listening(socket.get())) {
                return;
            }
            start(host, ssh, socket.get(), env, timeout);
        }
    }

    /**
     * Whether a master listens on {@code socket}: connecting costs microseconds. A socket file nobody
     * listens on (its master was killed) is removed, so a new master can take its place.
     */
    private static boolean listening(Path socket) {
        if (!Files.exists(socket)) {
            return false;
        }
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            return true;
        } catch (IOException e) {
            try {
                Files.deleteIfExists(socket);
            } catch (IOException gone) {
                // someone else's, or gone already: ssh says so when it tries
            }
            return false;
        }
    }

    private void start(Host host, Launcher.Ssh ssh, Path socket, Map<String, String> env, Duration timeout) {
        Path log = null;
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            log = Files.createTempFile(dir, "master", ".log");
            List<String> argv = new ArrayList<>(ssh.base(options, timeout));
            argv.addAll(List.of("-o", "ControlMaster=yes", "-o", "ControlPath=" + socket,
                    "-o", "ControlPersist=" + Math.max(1, options.controlPersist().toSeconds()) + "s", "-N", "-f", ssh.host()));
            ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(log.toFile());
            pb.environment().clear();
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis() + 2000, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new HostFailure(host, "connecting took longer than " + timeout.toMillis() + " ms (startTimeout)");
            }
            String said = Files.readString(log).strip().replace('\n', ' ');
            if (p.exitValue() != 0) {
                throw new HostFailure(host, "ssh exited with code " + p.exitValue() + (said.isEmpty() ? "" : ": " + said));
            }
        } catch (IOException e) {
            throw new HostFailure(host, "could not run ssh: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HostFailure(host, "interrupted while connecting");
        } finally {
            if (log != null) {
                try {
                    Files.deleteIfExists(log);
                } catch (IOException e) {
                    // a temporary file in our own directory; the next start tries again
                }
            }
        }
    }
}
