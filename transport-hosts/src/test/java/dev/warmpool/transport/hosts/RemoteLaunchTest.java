package dev.warmpool.transport.hosts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a remote worker takes to its host: the configured variables, not this machine's, its directory, a token. */
class RemoteLaunchTest {
    private static final Map<String, String> PARENT = Map.of("PATH", "/usr/bin:/bin", "HOME", "/home/me",
            "LANG", "en_US.UTF-8", "SSH_AUTH_SOCK", "/tmp/agent.1", "API_KEY", "k-1");

    @Test
    void onlyConfiguredVariablesGoAndThisMachinesInheritedOnesStay() {
        Map<String, String> spec = Map.of("PATH", "/usr/bin:/bin", "HOME", "/home/me", "SSH_AUTH_SOCK", "/tmp/agent.1",
                "LANG", "C.UTF-8", "API_KEY", "k-1", "GREETING", "hi there");
        RemoteLaunch l = RemoteLaunch.of(Optional.empty(), spec, PARENT, "ssh://h1");
        // LANG was set to a value of its own; API_KEY was named (inheritEnvironment) and is not host-local
        assertEquals(Map.of("LANG", "C.UTF-8", "API_KEY", "k-1", "GREETING", "hi there"), l.environment());
        assertEquals(Optional.empty(), l.directory());
    }

    @Test
    void theTokenVariableIsTheWrappersOwnAndANewRandomTokenComesEachTime() {
        RemoteLaunch a = RemoteLaunch.of(Optional.empty(), Map.of(RemoteLaunch.TOKEN_VARIABLE, "forged"), PARENT, "ssh://h1");
        RemoteLaunch b = RemoteLaunch.of(Optional.empty(), Map.of(), PARENT, "ssh://h1");
        assertEquals(Map.of(), a.environment());
        assertTrue(a.token().matches("[0-9a-f]{32}"), a.token());
        assertNotEquals(a.token(), b.token());
    }

    @Test
    void aRelativeDirectoryIsTakenFromTheLoginDirectoryNeverFromCdpath() {
        assertEquals(Optional.of("./work/jobs"), RemoteLaunch.of(Optional.of(Path.of("work/jobs")), Map.of(), PARENT, "h").directory());
        assertEquals(Optional.of("/srv/a b"), RemoteLaunch.of(Optional.of(Path.of("/srv/a b")), Map.of(), PARENT, "h").directory());
    }

    @Test
    void aNameAShellCannotSetIsRefusedNamingItAndTheHost() {
        String m = assertThrows(IllegalArgumentException.class,
                () -> RemoteLaunch.of(Optional.empty(), Map.of("my-var", "1"), PARENT, "ssh://deploy@h1")).getMessage();
        assertEquals("environment variable 'my-var' cannot be set on host ssh://deploy@h1: a POSIX shell takes only"
                + " names of letters, digits and '_' that do not start with a digit", m);
    }
}
