package dev.warmpool.handler;

import dev.warmpool.api.spi.Transport;
import dev.warmpool.api.spi.Worker;
import dev.warmpool.api.spi.WorkerSpec;
import dev.warmpool.transport.claude.ClaudeTransport;

/**
 * The {@code claude} transport with each event's stderr kept apart: every worker it starts is a
 * {@link ClaudeTransport} worker inside an {@link EventTurnWorker}. Thread-safe, as the transport it wraps.
 */
final class EventTurnTransport implements Transport {
    private final ClaudeTransport claude = new ClaudeTransport();

    @Override
    public String name() {
        return claude.name();
    }

    @Override
    public Worker start(WorkerSpec spec) {
        return new EventTurnWorker(claude.start(spec));
    }

    @Override
    public String toString() {
        return "EventTurnTransport[" + claude + "]";
    }
}
