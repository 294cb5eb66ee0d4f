package dev.warmpool.transport.claude.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the real {@code claude} program for the tests that run it ({@code RealClaudeCliTest},
 * {@code WarmClaudePoolTest}, {@code ClaudeBenchTest}, and other modules' tests through
 * handler-pool's {@code ClaudeFixtures}), in this order: the system
 * property {@value #PROPERTY} or the environment variable {@value #ENV} (which must then be right);
 * {@code node_modules/.bin/claude} under the directory in the system property
 * {@code warmpool.claude.home} (the build sets it to {@code target/claude-code}, where
 * {@code install-claude.sh target/claude-code} installs it); on the {@code PATH}.
 */
public final class ClaudeCliLocator {
    /** The system property naming the program. */
    public static final String PROPERTY = "warmpool.claude.bin";
    /** The environment variable naming the program. */
    public static final String ENV = "WARMPOOL_CLAUDE_BIN";

    private ClaudeCliLocator() {
    }

    /**
     * @return the program, or empty with nothing found
     * @throws IllegalStateException if the property or variable names something that is not an executable file
     */
    public static Optional<Path> find() {
        String explicit = System.getProperty(PROPERTY, System.getenv(ENV));
        if (explicit != null && !explicit.isBlank()) {
            Path p = Path.of(explicit);
            if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
                throw new IllegalStateException(PROPERTY + " / " + ENV + " is '" + explicit
                        + "', which is not an executable file");
            }
            return Optional.of(p);
        }
        List<Path> candidates = new ArrayList<>();
        String home = System.getProperty("warmpool.claude.home");
        if (home != null && !home.isBlank()) {
            candidates.add(Path.of(home, "node_modules", ".bin", "claude"));
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    candidates.add(Path.of(dir, "claude"));
                }
            }
        }
        return candidates.stream().filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst();
    }

    /** @return why the tests are skipped */
    public static String notFound() {
        return "the claude CLI was not found: install it with transport-claude/install-claude.sh "
                + "transport-claude/target/claude-code (needs npm), or point the system property " + PROPERTY
                + " or the environment variable " + ENV + " at the claude program";
    }
}
