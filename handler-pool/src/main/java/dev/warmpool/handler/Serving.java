package dev.warmpool.handler;

/** How an event was, or is being, served. */
public enum Serving {
    /** By a warm Claude Code CLI of the pool: one user turn of a running process. */
    WARM,
    /** By a cold {@code claude -p "<prompt>" --output-format json} started for this event alone. */
    COLD
}
