package dev.warmpool.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The opening example of {@code docs/configuration.md}, compiled and run; the page's copy must stay the
 * same as this one ({@code DocsSnippetsTest} in the examples module checks it).
 */
class ConfigurationDocExampleTest {
    @Test
    void thePagesExampleGivesTheOptionsItSets() {
        PoolConfig config = PoolConfig.fromEnvironment()      // or PoolConfig.builder()
                .command("python3", "-u", "handler.py")       // argv: never run through a shell
                .transport("jsonrpc")
                .maxSize(8)
                .requestTimeout(Duration.ofSeconds(60))
                .build();

        assertEquals(List.of("python3", "-u", "handler.py"), config.command());
        assertEquals("jsonrpc", config.transportName());
        assertEquals(8, config.maxSize());
        assertEquals(Duration.ofSeconds(60), config.requestTimeout());
        // the size may come from HANDLER_POOL_SIZE, but never beyond the maximum the example sets
        assertTrue(config.size() <= 8, config.toString());
    }
}
