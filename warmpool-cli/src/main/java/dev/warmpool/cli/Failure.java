package dev.warmpool.cli;

import dev.warmpool.api.PoolRejectedException;
import dev.warmpool.api.ProtocolException;
import dev.warmpool.api.RequestTimeoutException;
import dev.warmpool.api.WorkerCrashedException;
import dev.warmpool.api.WorkerErrorException;
import dev.warmpool.api.WorkerStartException;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Why a request failed, as the command reports it: the {@code kind} of an error answer, a message
 * for a person, and the worker's error code (or the exit code of a crashed worker) when there is one.
 *
 * @param kind what went wrong
 * @param message what happened, for a person
 * @param code the JSON-RPC error code of a {@code worker-error}, the exit code of a {@code crashed}
 *     worker, or empty
 * @param data the {@code data} of a worker's error, or {@code null}
 */
record Failure(Kind kind, String message, Optional<Integer> code, Object data) {
    /** The kinds of error answers. */
    enum Kind {
        /** A deadline passed, in the queue or while a worker ran the request. */
        TIMEOUT,
        /** The worker process died, or could not be started, while it held the request. */
        CRASHED,
        /** The worker broke the wire protocol. */
        PROTOCOL,
        /** The worker answered with an error. */
        WORKER_ERROR,
        /** The pool did not take the request (shutting down, or workers keep failing to start). */
        REJECTED,
        /** The input line is not a request. */
        BAD_INPUT,
        /** A failure the pool should have classified; a bug. */
        INTERNAL;

        /** @return the name in error answers and the summary, e.g. {@code worker-error} */
        String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * @param error what a request's future failed with
     * @return its classification
     */
    static Failure of(Throwable error) {
        Throwable t = unwrap(error);
        String message = String.valueOf(t.getMessage());
        return switch (t) {
            case RequestTimeoutException e -> new Failure(Kind.TIMEOUT, message, Optional.empty(), null);
            case WorkerCrashedException e -> new Failure(Kind.CRASHED, message,
                    e.exitCode() >= 0 ? Optional.of(e.exitCode()) : Optional.empty(), null);
            case WorkerStartException e -> new Failure(Kind.CRASHED, message, Optional.empty(), null);
            case ProtocolException e -> new Failure(Kind.PROTOCOL, message, Optional.empty(), null);
            case WorkerErrorException e -> new Failure(Kind.WORKER_ERROR, message, Optional.of(e.code()),
                    e.data().orElse(null));
            case PoolRejectedException e -> new Failure(Kind.REJECTED, message, Optional.empty(), null);
            default -> new Failure(Kind.INTERNAL, t.getClass().getName() + ": " + message, Optional.empty(), null);
        };
    }

    /**
     * @param message what is wrong with the line
     * @return a {@code bad-input} failure
     */
    static Failure badInput(String message) {
        return new Failure(Kind.BAD_INPUT, message, Optional.empty(), null);
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
