package dev.warmpool.examples;

import dev.warmpool.api.PoolConfig;
import dev.warmpool.core.WarmPool;
import java.nio.file.Path;
import java.util.Map;

/**
 * The Claude Code guide's pool ({@code docs/claude.md}), compiled so that the guide's copy cannot
 * rot: warm {@code claude} processes for a project's slash-command handlers, one event per turn.
 * Running it needs the CLI and an API key; {@code HandlerPool} (module {@code dev.warmpool.handler})
 * wraps the same pool with the spawn-per-event fallback.
 */
public final class ClaudeHandlers {
    private ClaudeHandlers() {
    }

    /**
     * Runs one event through a warm pool of Claude Code CLIs.
     *
     * @param event the event, as JSON-ready values
     * @param apiKey the Anthropic API key
     * @return the handler's result map ({@code success}, {@code output}, {@code stderr}, …)
     */
    public static Map<?, ?> triage(Map<String, Object> event, String apiKey) {
        // @start region="claude-pool"
        PoolConfig config = PoolConfig.fromEnvironment()   // HANDLER_POOL_SIZE (3), _MIN, _MAX, HANDLER_REQUEST_TIMEOUT (300 s)
                .transport("claude")                       // found by name (ServiceLoader)
                .command("/usr/local/bin/claude", "--model", "sonnet", "--permission-mode", "acceptEdits")
                .directory(Path.of("/srv/my-project"))     // the project whose .claude/commands are the handlers
                .environment("ANTHROPIC_API_KEY", apiKey)  // nothing else is passed on but PATH, HOME, USER, LANG, TZ, …
                .environment("HOME", "/var/lib/my-listener")  // where the CLI keeps its settings and transcripts
                .environment("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1")
                .environment("DISABLE_AUTOUPDATER", "1")
                .environment("CLAUDE_CODE_MAX_RETRIES", "2")  // the CLI's default retries a failing API for ~3 min
                .dispatchOrder(PoolConfig.DispatchOrder.LEAST_RECENTLY_USED)  // give each event the settled worker
                .build();
        try (WarmPool pool = WarmPool.start(config)) {     // returns once the workers are up (~1 s)
            Map<?, ?> result = pool.submit("execute_handler",
                    Map.of("handler_name", "triage", "event", event), Map.class).join();
            // @end
            return result;
        }
    }
}
