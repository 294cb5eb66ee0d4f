package dev.warmpool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warmpool.handler.testing.ClaudeFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code warmpool listen}, started as a real process: with a script standing in for {@code claude}
 * (one cold run per event, {@code HANDLER_POOL_MODE=spawn}), with a CLI that cannot start warm, with
 * bad arguments, and with the real CLI against the fake Messages API (skipped without the CLI).
 */
class ListenCommandTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String EVENTS = """
            {"handler": "say-something-nice", "event": {"id": 1, "kind": "push"}}
            {"handler": "triage", "event": {"id": 2, "kind": "issue"}}
            not an event
            {"handler": "say-something-nice", "event": {"id": 3, "kind": "push"}}
            """;

    @TempDir
    Path dir;

    @AfterEach
    void noScriptLeftRunning() throws InterruptedException {
        Processes.awaitNoneWith(dir.toString());
    }

    /** A stand-in for {@code claude -p … --output-format json}: answers with the handler's name. */
    private Path scriptedClaude() throws IOException {
        return script("claude", "case \"$*\" in\n"
                + "  */triage*) h=triage ;;\n"
                + "  *) h=nice ;;\n"
                + "esac\n"
                + "echo '{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false,\"num_turns\":1,"
                + "\"duration_ms\":5,\"result\":\"answered by '$h'\",\"total_cost_usd\":0.001}'");
    }

    private Path script(String name, String body) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    private Path project() throws IOException {
        return Files.createDirectories(dir.resolve("project"));
    }

    private static List<JsonNode> results(Cli.Result r) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : r.lines()) {
            out.add(MAPPER.readTree(line));
        }
        out.sort(Comparator.comparingInt(n -> n.path("line").asInt()));
        return out;
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyEventGetsOneResultLineFromItsHandlerAndTheRunASummary() throws Exception {
        Cli.Result r = Cli.run(EVENTS, Map.of("HANDLER_POOL_MODE", "spawn"),
                List.of("listen", "--project", project().toString(), "--claude", scriptedClaude().toString()));

        List<JsonNode> lines = results(r);
        assertEquals(List.of(1, 2, 3, 4), lines.stream().map(l -> l.path("line").asInt()).toList(), r::toString);
        assertEquals(List.of("answered by nice", "answered by triage", "", "answered by nice"),
                lines.stream().map(l -> l.path("output").asText()).toList(), r::toString);
        assertEquals(List.of(true, true, false, true), lines.stream().map(l -> l.path("success").asBoolean()).toList());
        assertEquals("rejected", lines.get(2).path("failure").asText());
        assertEquals("cold", lines.get(0).path("served_by").asText());
        assertEquals(1, r.exit(), "one line was not an event: " + r);
        assertTrue(r.stderr().contains("warmpool listen: 4 events, 3 ok, 1 failed (rejected 1)\n"), r::toString);
        assertTrue(r.stderr().contains("  served: 0 warm, 3 cold (0 as auto's fallback); mode spawn, serving cold now"),
                r::toString);
        assertTrue(r.stderr().contains("  latency: p50 ") && r.stderr().contains("  throughput: "), r::toString);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void eventsFromAFileThatAllSucceedExitZero() throws Exception {
        Path events = Files.writeString(dir.resolve("events.jsonl"), "{\"handler\": \"triage\", \"event\": {}}\n");
        Cli.Result r = Cli.run("", Map.of("HANDLER_POOL_MODE", "spawn"), List.of("listen", "--project",
                project().toString(), "--events", events.toString(), "--claude", scriptedClaude().toString()));

        assertEquals(0, r.exit(), r::toString);
        assertEquals("answered by triage", results(r).get(0).path("output").asText(), r::toString);
        assertTrue(r.stderr().contains("warmpool listen: 1 events, 1 ok, 0 failed\n"), r::toString);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void inPoolModeACliThatCannotStartLeavesNoEventUnanswered() throws Exception {
        Path broken = script("claude", "echo 'claude: broken install' >&2; exit 3");
        Cli.Result r = Cli.run(EVENTS, Map.of("HANDLER_POOL_MODE", "pool", "HANDLER_POOL_SIZE", "1"),
                List.of("listen", "--project", project().toString(), "--claude", broken.toString()));

        assertEquals(1, r.exit(), r::toString);
        // the exit code, not the script's stderr line: the pool may see the exit before it has read that line
        assertTrue(r.stderr().contains("warmpool listen: cannot start the handler pool: ")
                && r.stderr().contains("exited with code 3"), r::toString);
        List<JsonNode> lines = results(r);
        assertEquals(4, lines.size(), r::toString);
        for (JsonNode l : lines) {
            assertEquals("rejected", l.path("failure").asText(), l.toString());
        }
        assertTrue(r.stderr().contains("warmpool listen: 4 events, 0 ok, 4 failed (rejected 4)"), r::toString);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void badArgumentsAndVariablesExitTwoSayingWhat() throws Exception {
        Cli.Result noProject = Cli.run("listen");
        assertEquals(2, noProject.exit(), noProject::toString);
        assertTrue(noProject.stderr().contains("Missing required option: '--project=DIR'"), noProject::toString);

        Cli.Result notADir = Cli.run("listen", "--project", dir.resolve("nowhere").toString());
        assertEquals(2, notADir.exit(), notADir::toString);
        assertTrue(notADir.stderr().contains("invalid value for option '--project': '" + dir.resolve("nowhere")
                + "' is not a directory"), notADir::toString);

        Cli.Result badSize = Cli.run("", Map.of("HANDLER_POOL_SIZE", "many"),
                List.of("listen", "--project", project().toString()));
        assertEquals(2, badSize.exit(), badSize::toString);
        assertTrue(badSize.stderr().contains("HANDLER_POOL_SIZE") && badSize.stderr().contains("many"), badSize::toString);
        assertTrue(badSize.stdout().isEmpty(), badSize::toString);
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void withTheRealCliEveryEventIsServedWarm() throws Exception {
        Assumptions.assumeTrue(ClaudeFixtures.claude().isPresent(), ClaudeFixtures::claudeNotFound);
        Path project = ClaudeFixtures.project(project());
        try (ClaudeFixtures.FakeApi api = new ClaudeFixtures.FakeApi()) {
            Map<String, String> env = new HashMap<>(api.claudeEnvironment(Files.createDirectories(dir.resolve("home"))));
            env.put("HANDLER_POOL_SIZE", "2");
            Path events = Files.writeString(dir.resolve("events.jsonl"), EVENTS);
            Cli.Result r = Cli.run("", env, List.of("listen", "--project", project.toString(), "--events",
                    events.toString(), "--claude", ClaudeFixtures.claude().orElseThrow().toString()));

            System.out.println(r);
            List<JsonNode> lines = results(r);
            assertEquals(4, lines.size(), r::toString);
            for (int i : new int[] {0, 1, 3}) {
                JsonNode l = lines.get(i);
                assertTrue(l.path("success").asBoolean(), l.toString());
                assertEquals("warm", l.path("served_by").asText(), l.toString());
                assertTrue(l.path("output").asText().startsWith("fake answer "), l.toString());
            }
            assertEquals(1, r.exit(), "one line was not an event: " + r);
            assertTrue(r.stderr().contains("warmpool listen: 4 events, 3 ok, 1 failed (rejected 1)"), r::toString);
            assertTrue(r.stderr().contains("served: 3 warm, 0 cold (0 as auto's fallback); mode auto, serving warm"),
                    r::toString);
            assertTrue(r.stderr().contains("warm processes started: 2 (pool size 2, min 1, max 10)"), r::toString);
        }
    }
}
