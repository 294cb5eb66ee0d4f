package dev.warmpool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code warmpool demo}, started as a real process. */
class DemoCommandTest {
    @Test
    @Timeout(value = 40, unit = TimeUnit.SECONDS)
    void dispatchesEventsColdAndWarmSideBySide() {
        Cli.Result r = Cli.run("", List.of("demo", "--count", "3", "--size", "1"));

        assertEquals(0, r.exit(), r::toString);
        String out = r.stdout();
        assertTrue(out.contains("dispatches 3 events"), r::toString);
        assertTrue(out.contains("say-something-nice") && out.contains("summarize-event"), r::toString);
        assertTrue(out.contains("Lovely work, Ada!") || out.contains("Thank you, Ada:"), "the kind sentence\n" + r);
        assertTrue(out.lines().anyMatch(l -> l.matches("\\s+processes started\\s+3\\s+1\\s*")), r::toString);
        assertTrue(out.lines().anyMatch(l -> l.matches("\\s+events\\s+3\\s+3\\s*")), r::toString);
        assertTrue(out.contains("speed-up: "), r::toString);
        assertTrue(out.contains("per event, p50"), r::toString);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void eventsFromAFileWarmOnly(@TempDir Path dir) throws IOException {
        Path events = dir.resolve("events.jsonl");
        Files.writeString(events, """
                {"type":"user.joined","actor":"wanda"}
                {"handler":"count-words","event":{"text":"a b c d"}}
                {"handler":"count-words","event":{"type":"no.text"}}
                """);

        Cli.Result r = Cli.run("", List.of("demo", "--events", events.toString(), "--no-cold", "--size", "1"));

        assertEquals(1, r.exit(), "the third event fails: count-words has nothing to count\n" + r);
        assertTrue(r.stdout().contains("Welcome, Wanda!") || r.stdout().contains("Hello and welcome"), r::toString);
        assertTrue(r.stdout().contains("4 words"), r::toString);
        assertTrue(r.stdout().contains("!! the handler failed: count-words: the event has no title, text or body"),
                r::toString);
        assertTrue(r.stderr().contains("1 of 3 events failed"), r::toString);
    }
}
