package dev.warmpool.testkit.sshd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The loopback sshd fixture against the real {@code /usr/sbin/sshd} and {@code ssh} client. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SshHostsTest {

    @Test
    void startingWithoutAnAddressIsRefusedNamingWhatToGive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, SshHosts::start);
        assertEquals("no address to start sshd on: give one or more, such as 127.0.0.2", e.getMessage());
    }

    @Test
    void aServerAcceptsTheFixturesKeyThroughItsClientConfigComesBackAfterAKillAndCloseDeletesEverything()
            throws Exception {
        Optional<String> why = Sshd.unavailable();
        assumeTrue(why.isEmpty(), () -> "skipped: " + why.orElseThrow());
        Path dir;
        try (SshHosts hosts = SshHosts.start("127.0.0.2")) {
            dir = hosts.dir();
            Sshd s = hosts.server(0);
            assertEquals(List.of(s), hosts.servers());
            assertEquals("ssh://" + System.getProperty("user.name") + "@127.0.0.2:" + s.port(), s.uri());
            assertEquals(System.getProperty("user.name") + "@127.0.0.2:" + s.port(), s.label());
            // SSH_CONNECTION ends with the server's address and port: the session is this server's
            String said = ssh(hosts, s, "echo hello $SSH_CONNECTION");
            assertTrue(said.startsWith("hello ") && said.endsWith(" 127.0.0.2 " + s.port()), said);

            s.kill();
            assertFalse(s.running());
            assertFalse(listens(s));
            hosts.ensureRunning();
            assertTrue(s.running());
            assertEquals("again", ssh(hosts, s, "echo again"));
            assertThrows(IllegalStateException.class, s::restart);
        }
        assertFalse(Files.exists(dir), dir + " is left behind");
    }

    /** {@return what {@code command} printed on server {@code s}, run by the plain ssh client with the fixture's configuration} */
    private static String ssh(SshHosts hosts, Sshd s, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ssh", "-F", hosts.clientConfig().toString(), "-o", "BatchMode=yes",
                "-p", Integer.toString(s.port()), System.getProperty("user.name") + "@" + s.address(), command)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    private static boolean listens(Sshd s) {
        try (Socket ignored = new Socket(s.address(), s.port())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
