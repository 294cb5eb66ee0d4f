package dev.warmpool.handler.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warmpool.transport.claude.ClaudeCliLocator;
import dev.warmpool.transport.claude.FakeMessagesApi;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The claude transport's test fixtures, for tests outside it: the real CLI as its tests find it
 * ({@link ClaudeCliLocator}) and the fake Messages API on loopback ({@link FakeMessagesApi}), from
 * transport-claude's test-jar; and a project with the handlers the tests use.
 *
 * <p>In a package of its own, which the module {@code dev.warmpool.handler} does not have: other
 * modules' tests (the examples') find it on the class path in handler-pool's test-jar, where a class
 * in {@code dev.warmpool.handler} would be hidden behind that module.
 */
public final class ClaudeFixtures {
    private ClaudeFixtures() {
    }

    /** @return the real {@code claude} program, if installed (transport-claude/install-claude.sh) */
    public static Optional<Path> claude() {
        return ClaudeCliLocator.find();
    }

    /** @return why the tests that need the CLI are skipped */
    public static String claudeNotFound() {
        return ClaudeCliLocator.notFound();
    }

    /**
     * Writes the handlers the tests use into {@code project/.claude/commands}:
     * {@code say-something-nice} and {@code triage}.
     *
     * @return {@code project}
     */
    public static Path project(Path project) throws java.io.IOException {
        Path commands = Files.createDirectories(project.resolve(".claude/commands"));
        Files.writeString(commands.resolve("say-something-nice.md"), "---\ndescription: says something nice about an event\n"
                + "---\nSay something nice about this event: $ARGUMENTS\n");
        Files.writeString(commands.resolve("triage.md"), "---\ndescription: triages an event\n---\n"
                + "Triage this event: $ARGUMENTS\n");
        return project;
    }

    /** The transport-claude tests' fake Messages API on loopback. */
    public static final class FakeApi implements AutoCloseable {
        private final FakeMessagesApi fake;

        /** Starts it on a free loopback port. */
        public FakeApi() {
            try {
                fake = new FakeMessagesApi();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** @return {@code http://127.0.0.1:PORT} */
        public String baseUrl() {
            return fake.baseUrl();
        }

        /**
         * @param home the CLI's {@code HOME}
         * @return the variables that point a real CLI at this API and keep it off the network, with
         *     no API retries (an API error ends the turn at once)
         */
        public Map<String, String> claudeEnvironment(Path home) {
            return fake.claudeEnvironment(home);
        }

        /** @param mode {@code OK}, {@code SERVER_ERROR_500}, {@code OVERLOADED_529}, {@code HANG} or {@code HOLD} */
        public void mode(String mode) {
            fake.mode(FakeMessagesApi.Mode.valueOf(mode));
        }

        /** @return the bodies of the message requests so far, oldest first */
        public List<JsonNode> requests() {
            return fake.requests();
        }

        /**
         * @param seconds how long to wait
         * @return whether another message request arrived within {@code seconds}
         */
        public boolean awaitRequest(long seconds) {
            try {
                return fake.awaitRequest(seconds);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        @Override
        public void close() {
            fake.close();
        }
    }
}
