package dev.warmpool.handler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warmpool.handler.testing.ClaudeFixtures;
import dev.warmpool.testkit.ProcessAudit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test of a {@link HandlerPool} against the real {@code claude} CLI needs: the CLI, a fake
 * Messages API on loopback, a project with the test handlers and a {@code HOME} of its own. The
 * CLI's environment is given whole (nothing but {@code PATH} and the like is inherited), so nothing
 * it does leaves loopback. Skips the test, saying why, when the CLI is not installed.
 */
final class RealCli implements AutoCloseable {
    static final Optional<Path> CLAUDE = ClaudeFixtures.claude();

    final ClaudeFixtures.FakeApi api;
    final Path project;
    final Path home;
    private HandlerPool pool;

    private RealCli(Path dir) throws IOException {
        this.project = ClaudeFixtures.project(Files.createDirectories(dir.resolve("project")));
        this.home = Files.createDirectories(dir.resolve("home"));
        this.api = new ClaudeFixtures.FakeApi();
    }

    /** @param dir a temporary directory for the project and the CLI's home */
    static RealCli in(Path dir) throws IOException {
        Assumptions.assumeTrue(CLAUDE.isPresent(), ClaudeFixtures::claudeNotFound);
        return new RealCli(dir);
    }

    static Path claude() {
        return CLAUDE.orElseThrow();
    }

    /**
     * @param more variables to add, such as the {@code HANDLER_*} ones
     * @return the listener's environment: the fake API's variables for the CLI (its URL, a dummy
     *     key, no retries: {@code ANTHROPIC_*}, {@code CLAUDE_*}, {@code DISABLE_*}, which
     *     {@link HandlerPool#fromEnvironment} hands to the CLI) and {@code more}
     */
    Map<String, String> variables(Map<String, String> more) {
        Map<String, String> v = new java.util.TreeMap<>(api.claudeEnvironment(home));
        v.remove("HOME");
        v.putAll(more);
        return v;
    }

    /**
     * A builder for a pool of {@code command} against the fake API: the variables are read from
     * {@link #variables(Map) variables(more)}, {@code HOME} is set explicitly, and the start and
     * shutdown times suit tests.
     */
    HandlerPool.Builder builder(Map<String, String> more, List<String> command) {
        return HandlerPool.fromEnvironment(project, variables(more))
                .command(command)
                .environment("HOME", home.toString())
                .startTimeout(Duration.ofSeconds(60))
                .shutdownGrace(Duration.ofSeconds(10))
                .noShutdownHook();
    }

    /** Remembers {@code p}, to shut it down in {@link #close()}. */
    HandlerPool started(HandlerPool p) {
        pool = p;
        long t0 = System.nanoTime();
        p.start();
        System.out.printf("%s started in %d ms%n", p, (System.nanoTime() - t0) / 1_000_000);
        return p;
    }

    /**
     * Writes an executable script that runs the real CLI, for tests that need a CLI that behaves
     * differently: {@code body} is shell code run before the {@code exec} of the CLI with the same
     * arguments ({@code "$@"}).
     */
    Path wrapper(String name, String body) throws IOException {
        Path script = home.getParent().resolve(name);
        Files.writeString(script, "#!/bin/sh\n" + body + "\nexec '" + claude() + "' \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    /** @return the text of every user message block of a request to the API, joined */
    static String userText(JsonNode request) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode m : request.path("messages")) {
            if (m.path("role").asText().equals("user")) {
                JsonNode content = m.path("content");
                if (content.isTextual()) {
                    sb.append(content.asText()).append('\n');
                }
                for (JsonNode block : content) {
                    sb.append(block.path("text").asText("")).append('\n');
                }
            }
        }
        return sb.toString();
    }

    /** Shuts the pool down, stops the fake API, and checks no process is left. */
    @Override
    public void close() throws InterruptedException {
        try {
            if (pool != null) {
                pool.close();
            }
        } finally {
            api.close();
        }
        ProcessAudit.assertNoDescendants(Duration.ofSeconds(10));
    }
}
