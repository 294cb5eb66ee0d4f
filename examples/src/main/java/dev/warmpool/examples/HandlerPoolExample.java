package dev.warmpool.examples;

import dev.warmpool.handler.HandlerPool;
import dev.warmpool.handler.HandlerResult;
import java.nio.file.Path;
import java.util.Map;

/**
 * The pool of {@code docs/handlers.md}: warm Claude Code CLIs for a project's slash-command handlers,
 * with the spawn-per-event fallback, compiled so that the page's copy cannot rot. Running it needs the
 * CLI, an API key and the project; {@code EventListener} is the same pool fed from a stream of events.
 */
public final class HandlerPoolExample {
    private HandlerPoolExample() {
    }

    /** Runs the {@code triage} handler on one event and prints whether it succeeded, and its output. */
    public static void triage() {
        try (HandlerPool pool = HandlerPool.fromEnvironment(Path.of("/srv/my-project"))
                .command("/usr/local/bin/claude", "--model", "sonnet", "--permission-mode", "acceptEdits")
                .build()
                .start()) {                                  // waits for the warm workers (~1 s)
            HandlerResult r = pool.execute("triage", Map.of("id", 42, "kind", "push")).join();
            System.out.println(r.success() + " " + r.output());
        }
    }
}
