package dev.warmpool.transport.claude;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClaudeCommandTest {
    private static final List<String> FLAGS = List.of("-p", "--input-format", "stream-json", "--output-format",
            "stream-json", "--verbose");

    @Test
    void theStreamJsonOptionsAreAppendedToTheUsersOwn() {
        assertEquals(concat(List.of("claude"), FLAGS), ClaudeCommand.complete(List.of("claude")));
        assertEquals(concat(List.of("/opt/claude", "--model", "sonnet", "--allowedTools", "Read", "Grep"), FLAGS),
                ClaudeCommand.complete(List.of("/opt/claude", "--model", "sonnet", "--allowedTools", "Read", "Grep")));
    }

    @Test
    void optionsAlreadyGivenAreNotRepeated() {
        assertEquals(List.of("claude", "--print", "--verbose", "--output-format=stream-json", "--input-format",
                        "stream-json"),
                ClaudeCommand.complete(List.of("claude", "--print", "--verbose", "--output-format=stream-json",
                        "--input-format", "stream-json")));
        assertEquals(List.of("claude", "-p", "--model", "x", "--input-format", "stream-json", "--output-format",
                "stream-json", "--verbose"), ClaudeCommand.complete(List.of("claude", "-p", "--model", "x")));
    }

    @Test
    void aWrapperCommandKeepsItsArgumentsFirst() {
        assertEquals(concat(List.of("npx", "@anthropic-ai/claude-code"), FLAGS),
                ClaudeCommand.complete(List.of("npx", "@anthropic-ai/claude-code")));
    }

    @Test
    void anotherFormatIsRefusedWithTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClaudeCommand.complete(List.of("claude", "--output-format", "json")));
        assertEquals("the command sets --output-format json, but the claude transport speaks stream-json; leave "
                + "--output-format out (the transport adds it)", e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ClaudeCommand.complete(List.of("claude", "--input-format=text")));
    }

    @Test
    void aProgramIsLookedForOnTheWorkersPath(@TempDir Path dir) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path claude = Files.writeString(bin.resolve("claude"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(claude, PosixFilePermissions.fromString("rwxr-xr-x"));

        assertEquals(Optional.empty(), ClaudeCommand.missing("claude", Map.of("PATH", "/nonexistent:" + bin), Optional.empty()));
        assertEquals(Optional.empty(), ClaudeCommand.missing(claude.toString(), Map.of(), Optional.empty()));
        assertEquals(Optional.empty(), ClaudeCommand.missing("bin/claude", Map.of(), Optional.of(dir)));
        assertEquals(Optional.of("'claude' was not found on the worker's PATH (/nonexistent)"),
                ClaudeCommand.missing("claude", Map.of("PATH", "/nonexistent"), Optional.empty()));
        assertEquals(Optional.of("'" + dir.resolve("nope") + "' does not exist"),
                ClaudeCommand.missing(dir.resolve("nope").toString(), Map.of(), Optional.empty()));
        Files.setPosixFilePermissions(claude, PosixFilePermissions.fromString("rw-r--r--"));
        assertTrue(ClaudeCommand.missing(claude.toString(), Map.of(), Optional.empty()).orElseThrow()
                .endsWith("is not an executable file"));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
