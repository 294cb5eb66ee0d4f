package dev.warmpool.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warmpool.handler.testing.ClaudeFixtures;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event listener against the real {@code claude} CLI and a fake Messages API on loopback: one
 * result line per event, served warm; and still one per event, served cold, when warm workers cannot
 * start. Skipped, saying why, without the CLI.
 */
class EventListenerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EVENTS = """
            {"handler": "say-something-nice", "event": {"id": 1, "kind": "push"}}
            {"handler": "triage", "event": {"id": 2, "kind": "issue"}}
            {"handler": "say-something-nice", "event": {"id": 3, "kind": "push"}}
            """;

    @TempDir
    Path dir;
    private ClaudeFixtures.FakeApi api;
    private Path project;
    private Map<String, String> env;

    @BeforeEach
    void setUp() throws Exception {
        Assumptions.assumeTrue(ClaudeFixtures.claude().isPresent(), ClaudeFixtures::claudeNotFound);
        api = new ClaudeFixtures.FakeApi();
        project = ClaudeFixtures.project(Files.createDirectories(dir.resolve("project")));
        // the listener's environment: the fake API's variables and a HOME of its own for the CLI
        env = new HashMap<>(api.claudeEnvironment(Files.createDirectories(dir.resolve("home"))));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (api != null) {
            api.close();
            Processes.assertNoDescendantsLeft();
        }
    }

    private record Run(int status, List<JsonNode> lines, String summary) {
    }

    private Run listen(List<String> args, InputStream in) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = EventListener.run(args.toArray(String[]::new), env, in,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        List<JsonNode> lines = new ArrayList<>();
        for (String l : out.toString(StandardCharsets.UTF_8).lines().toList()) {
            lines.add(JSON.readTree(l));
        }
        lines.sort(Comparator.comparingInt(n -> n.path("line").asInt()));
        String summary = err.toString(StandardCharsets.UTF_8).lines()
                .dropWhile(l -> !l.startsWith("warmpool listen:")).collect(Collectors.joining("\n"));
        System.out.print(out.toString(StandardCharsets.UTF_8));
        System.out.println(summary);
        return new Run(status, lines, summary);
    }

    @Test
    @Timeout(180)
    void everyEventGetsOneResultLineServedWarmAndTheRunASummary() throws Exception {
        env.put("HANDLER_POOL_SIZE", "2");
        Path events = Files.writeString(dir.resolve("events.jsonl"), EVENTS + "not an event\n");
        Run run = listen(List.of("--project", project.toString(), "--events", events.toString(),
                "--claude", ClaudeFixtures.claude().orElseThrow().toString()), InputStream.nullInputStream());

        assertEquals(4, run.lines().size(), run.lines().toString());
        for (JsonNode line : run.lines().subList(0, 3)) {
            assertTrue(line.path("success").asBoolean(), line.toString());
            assertEquals("warm", line.path("served_by").asText(), line.toString());
            assertTrue(line.path("output").asText().startsWith("fake answer "), line.toString());
        }
        assertEquals(List.of("say-something-nice", "triage", "say-something-nice"),
                run.lines().subList(0, 3).stream().map(l -> l.path("handler").asText()).toList());
        JsonNode bad = run.lines().get(3);
        assertEquals(4, bad.path("line").asInt());
        assertEquals("rejected", bad.path("failure").asText());
        assertEquals(1, run.status(), "one line was not an event");
        assertTrue(run.summary().startsWith("warmpool listen: 4 events, 3 ok, 1 failed (rejected 1)"), run.summary());
        assertTrue(run.summary().contains("served: 3 warm, 0 cold (0 as auto's fallback); mode auto, serving warm"),
                run.summary());
    }

    @Test
    @Timeout(180)
    void whenWarmWorkersCannotStartEveryEventIsStillAnsweredCold() throws Exception {
        Path broken = dir.resolve("claude-without-warm-mode");
        Files.writeString(broken, "#!/bin/sh\nfor a in \"$@\"; do [ \"$a\" = stream-json ] && { echo 'no warm mode here' >&2;"
                + " exit 3; }; done\nexec '" + ClaudeFixtures.claude().orElseThrow() + "' \"$@\"\n");
        Files.setPosixFilePermissions(broken, PosixFilePermissions.fromString("rwxr-xr-x"));
        env.put("HANDLER_POOL_SIZE", "1");
        Run run = listen(List.of("--project", project.toString(), "--claude", broken.toString()),
                new ByteArrayInputStream(EVENTS.getBytes(StandardCharsets.UTF_8)));

        assertEquals(0, run.status(), run.summary());
        assertEquals(3, run.lines().size(), run.lines().toString());
        for (JsonNode line : run.lines()) {
            assertTrue(line.path("success").asBoolean(), line.toString());
            assertEquals("cold", line.path("served_by").asText(), line.toString());
        }
        assertTrue(run.summary().contains("served: 0 warm, 3 cold (3 as auto's fallback); mode auto, serving cold"),
                run.summary());
    }

    @Test
    void theHandlersGuideQuotesTheCompiledListener() throws Exception {
        String source = Files.readString(Path.of("src/main/java/dev/warmpool/examples/EventListener.java"));
        String start = "// @start region=\"handlers\"";
        int from = source.indexOf(start);
        int to = source.indexOf("// @end", from);
        assertTrue(from >= 0 && to > from, "no region handlers in EventListener.java");
        String body = source.substring(from + start.length(), to).lines()
                .filter(l -> !l.isBlank())
                .map(l -> l.startsWith("        ") ? l.substring(8) : l.strip())
                .collect(Collectors.joining("\n"));
        String guide = Files.readString(Path.of("../docs/handlers.md"));
        assertTrue(guide.contains("```java\n" + body + "\n```"),
                "docs/handlers.md does not contain the handlers region of EventListener.java verbatim:\n" + body);
    }
}
