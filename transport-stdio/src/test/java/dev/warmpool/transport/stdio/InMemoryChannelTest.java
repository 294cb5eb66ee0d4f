package dev.warmpool.transport.stdio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The in-memory channel's two ways to exit, as transports' tests rely on them. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class InMemoryChannelTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void anExitClosesBothPipesAfterWhatWasWritten() throws Exception {
        InMemoryChannel ch = new InMemoryChannel("w-1");
        ch.workerStdout().write(bytes("last\n"));

        ch.exit(3);

        assertEquals(3, ch.onExit().get());
        assertFalse(ch.isAlive());
        assertArrayEquals(bytes("last\n"), ch.stdout().readAllBytes());
        IOException e = assertThrows(IOException.class, () -> ch.stdin().write(bytes("more\n")));
        assertTrue(e.getMessage().contains("Broken pipe"), e.getMessage());
    }

    @Test
    void anExitHoldingThePipesLeavesThemOpenUntilTheWorkersEndClosesThem() throws Exception {
        InMemoryChannel ch = new InMemoryChannel("w-1");

        ch.exitHoldingPipes(1);

        assertEquals(1, ch.onExit().get());
        assertFalse(ch.isAlive());
        ch.stdin().write(bytes("still read\n"));
        ch.stdin().flush();
        assertArrayEquals(bytes("still read\n"), ch.workerStdin().readNBytes(11));
        ch.workerStdout().write(bytes("late\n"));
        ch.workerStdout().close();
        assertArrayEquals(bytes("late\n"), ch.stdout().readAllBytes());

        ch.exit(2);
        assertEquals(1, ch.onExit().get(), "the first exit's status stays");
    }
}
