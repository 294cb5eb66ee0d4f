package dev.warmpool.handler.testing;

import dev.warmpool.transport.claude.testing.ClaudeCliLocator;
import dev.warmpool.transport.claude.testing.FakeMessagesApi;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The claude transport's test fixtures, for tests outside it: the real CLI as its tests find it
 * ({@link ClaudeCliLocator}) and the fake Messages API on loopback ({@link FakeMessagesApi}), from
 * transport-claude's test-jar, where they live in a package of their own
 * ({@code dev.warmpool.transport.claude.testing}) that no named module owns, so they are plain calls.
 *
 * <p>Also: a project with the handlers the tests use.
 *
 * <p>In a package of its own, which the module {@code dev.warmpool.handler} does not have: other
 * modules' tests (the examples', the command's) find it on the class path in handler-pool's
 * test-jar, where a class in {@code dev.warmpool.handler} would be hidden behind that module.
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
     * @param project the project directory
     * @return {@code project}
     * @throws IOException if the files cannot be written
     */
    public static Path project(Path project) throws IOException {
        Path commands = Files.createDirectories(project.resolve(".claude/commands"));
        Files.writeString(commands.resolve("say-something-nice.md"), "---\ndescription: says something nice about an event\n"
                + "---\nSay something nice about this event: $ARGUMENTS\n");
        Files.writeString(commands.resolve("triage.md"), "---\ndescription: triages an event\n---\n"
                + "Triage this event: $ARGUMENTS\n");
        return project;
    }

    /** The transport-claude tests' fake Messages API on loopback, whose mode may also be given by name. */
    public static final class FakeApi extends FakeMessagesApi {
        /** Starts it on a free loopback port. */
        public FakeApi() {
            super();
        }

        /**
         * @param mode a {@link FakeMessagesApi.Mode} by name: {@code OK}, {@code SERVER_ERROR_500},
         *     {@code OVERLOADED_529}, {@code HANG} or {@code HOLD}
         * @throws IllegalArgumentException if there is no such mode
         */
        public void mode(String mode) {
            mode(Mode.valueOf(mode.toUpperCase(Locale.ROOT)));
        }
    }
}
