package dev.warmpool.handler;

import dev.warmpool.api.spi.Call;
import dev.warmpool.api.spi.Worker;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A Claude Code worker that records, for each {@link EventCall}, the stderr lines its turn wrote.
 * Everything else is the wrapped worker's. The pool gives a worker one call at a time, so the
 * snapshots before and after a turn bracket that turn alone. Thread-safe, as the wrapped worker.
 */
final class EventTurnWorker implements Worker {
    private final Worker claude;

    EventTurnWorker(Worker claude) {
        this.claude = claude;
    }

    @Override
    public String id() {
        return claude.id();
    }

    @Override
    public OptionalLong pid() {
        return claude.pid();
    }

    /** Says the wrapped worker's host, so a health report places the handler's workers where they run. */
    @Override
    public String host() {
        return claude.host();
    }

    /**
     * An {@link EventCall} goes to the CLI as the transport's {@code execute_handler} call, with its
     * stderr snapshotted around the turn; the snapshot after it is taken before the pool hears of the
     * outcome. Any other call passes through unchanged.
     */
    @Override
    public <T> CompletableFuture<@Nullable T> call(Call<T> call) {
        if (!(call.params() instanceof EventCall event)) {
            return claude.call(call);
        }
        event.begin(claude);
        Call<T> turn = new Call<>(call.method(), event.event().params(), call.resultType(), call.listener());
        return claude.call(turn).whenComplete((result, failure) -> event.end());
    }

    @Override
    public boolean cancel() {
        return claude.cancel();
    }

    @Override
    public CompletableFuture<Void> ping() {
        return claude.ping();
    }

    @Override
    public boolean isUsable() {
        return claude.isUsable();
    }

    @Override
    public CompletableFuture<Integer> onExit() {
        return claude.onExit();
    }

    @Override
    public CompletableFuture<Integer> stop(Duration grace) {
        return claude.stop(grace);
    }

    @Override
    public void kill() {
        claude.kill();
    }

    @Override
    public List<String> stderrTail() {
        return claude.stderrTail();
    }

    @Override
    public String toString() {
        return "EventTurnWorker[" + claude + "]";
    }
}
