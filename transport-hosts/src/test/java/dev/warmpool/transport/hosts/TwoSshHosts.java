package dev.warmpool.transport.hosts;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Test fixture: two sshd "hosts", on 127.0.0.2 and 127.0.0.3, sharing one temporary directory of keys and
 * configuration. {@link #start()} skips the calling test (with the reason) where sshd cannot run;
 * {@link #close()} kills both servers and deletes the directory, also after a failed start.
 */
final class TwoSshHosts implements AutoCloseable {
    final Path dir;
    Sshd a;
    Sshd b;

    private TwoSshHosts(Path dir) {
        this.dir = dir;
    }

    static TwoSshHosts start() throws Exception {
        Optional<String> why = Sshd.unavailable();
        assumeTrue(why.isEmpty(), () -> "skipped: " + why.orElseThrow());
        TwoSshHosts h = new TwoSshHosts(Files.createTempDirectory("warmpool-sshd"));
        try {
            Sshd.prepare(h.dir);
            h.a = Sshd.start(h.dir, "127.0.0.2");
            h.b = Sshd.start(h.dir, "127.0.0.3");
            return h;
        } catch (Exception | Error e) {
            h.close();
            throw e;
        }
    }

    /** {@return the ssh client configuration that trusts these servers and holds the user key} */
    Path clientConfig() {
        return dir.resolve("ssh_config");
    }

    /** Starts again a server a test killed. */
    void ensureRunning() throws Exception {
        a.ensureRunning();
        b.ensureRunning();
    }

    @Override
    public void close() throws Exception {
        for (Sshd s : new Sshd[] {a, b}) {
            if (s != null) {
                s.kill();
            }
        }
        Sshd.delete(dir);
    }
}
