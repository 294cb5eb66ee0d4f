package dev.warmpool.cli;

import dev.warmpool.api.PoolRejectedException;
import dev.warmpool.api.ProtocolException;
import dev.warmpool.api.RequestTimeoutException;
import dev.warmpool.api.WorkerCrashedException;
import dev.warmpool.api.WorkerErrorException;
import dev.warmpool.api.WorkerPoolException;
import dev.warmpool.api.WorkerStartException;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Why a request failed, as the command reports it: the {@code kind} of an error answer, a message
 * for a person, and the worker's error code (or the exit code of a crashed worker) when there is one.
 *
 * <p>{@link Kind} is the one list of error kinds: {@code run --help} and {@code docs/command.md}
 * are written from it (a test checks the page).
 *
 * @param kind what went wrong
 * @param message what happened, for a person; never starts with a Java class name
 * @param code the JSON-RPC error code of a {@code worker-error}, the exit code of a {@code crashed}
 *     worker, or empty
 * @param data the {@code data} of a worker's error, or {@code null}
 */
record Failure(Kind kind, String message, Optional<Integer> code, Object data) {
    /** The kinds of error answers, each with the sentence that documents it. */
    enum Kind {
        /** A deadline passed. */
        TIMEOUT("a deadline passed: the run deadline (--timeout) while a worker held the request, or the "
                + "request could not even be sent to a worker within it (a worker that stops reading its input)"),
        /** The worker process died, or could not be started, while it held the request. */
        CRASHED("the worker process died while it held the request (\"code\" is its exit code when it "
                + "exited; the message carries the last lines of its stderr)"),
        /** The worker broke the wire protocol. */
        PROTOCOL("the worker broke the wire protocol (an answer that is not a frame, too long, or not "
                + "JSON with --json-results)"),
        /** The worker answered with an error. */
        WORKER_ERROR("the worker answered with an error; \"code\" and \"data\" are the worker's"),
        /** The pool did not take the request. */
        REJECTED("the request never reached a worker: the pool could not start (the message says why, "
                + "with the worker's stderr), keeps failing to start workers, or was shutting down after a signal"),
        /** The input line is not a request. */
        BAD_INPUT("the input line is not a request: not valid UTF-8, not valid JSON, the wrong shape, "
                + "larger than the frame limit (--max-frame-bytes), or params the transport cannot send; its "
                + "id is the line number unless it had a usable one"),
        /** A failure the pool did not classify; a bug. */
        INTERNAL("the pool failed the request for a reason it did not classify (a bug: please report it "
                + "with the message)");

        private final String meaning;

        Kind(String meaning) {
            this.meaning = meaning;
        }

        /** @return the name in error answers and the summary, e.g. {@code worker-error} */
        String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** @return what an answer of this kind means, one sentence for the help and the docs */
        String meaning() {
            return meaning;
        }
    }

    /**
     * @param error what a request's future failed with
     * @return its classification
     */
    static Failure of(Throwable error) {
        Throwable t = unwrap(error);
        String message = describe(t);
        return switch (t) {
            case RequestTimeoutException e -> new Failure(Kind.TIMEOUT, message, Optional.empty(), null);
            case WorkerCrashedException e -> new Failure(Kind.CRASHED, message,
                    e.exitCode() >= 0 ? Optional.of(e.exitCode()) : Optional.empty(), null);
            case WorkerStartException e -> new Failure(Kind.CRASHED, message, Optional.empty(), null);
            case ProtocolException e -> new Failure(Kind.PROTOCOL, message, Optional.empty(), null);
            case WorkerErrorException e -> new Failure(Kind.WORKER_ERROR, message, Optional.of(e.code()),
                    e.data().orElse(null));
            case PoolRejectedException e -> new Failure(Kind.REJECTED, message, Optional.empty(), null);
            // the pool fails a request it cannot send as the caller's mistake: params that cannot be
            // written, a frame over the limit (counted INVALID_REQUEST in the pool's metrics)
            case IllegalArgumentException e -> new Failure(Kind.BAD_INPUT, message, Optional.empty(), null);
            default -> new Failure(Kind.INTERNAL, message, Optional.empty(), null);
        };
    }

    /**
     * @param message what is wrong with the line
     * @return a {@code bad-input} failure
     */
    static Failure badInput(String message) {
        return new Failure(Kind.BAD_INPUT, message, Optional.empty(), null);
    }

    /**
     * @param message why the request did not reach a worker
     * @return a {@code rejected} failure
     */
    static Failure rejected(String message) {
        return new Failure(Kind.REJECTED, message, Optional.empty(), null);
    }

    /**
     * @param message which deadline passed
     * @return a {@code timeout} failure
     */
    static Failure timeout(String message) {
        return new Failure(Kind.TIMEOUT, message, Optional.empty(), null);
    }

    /**
     * The message of a failure in words. The pool's own exceptions say what happened in their
     * message; anything else is unexpected, and its message alone may say nothing ({@code null} for
     * many JDK exceptions), so its type is named — after the words, never as the start.
     */
    private static String describe(Throwable t) {
        String m = t.getMessage();
        if ((t instanceof WorkerPoolException || t instanceof IllegalArgumentException) && m != null && !m.isBlank()) {
            return m; // the pool's own words, and its words for a request it refused to send
        }
        return unexpected(t);
    }

    private static String unexpected(Throwable t) {
        String m = t.getMessage();
        return "unexpected failure (" + t.getClass().getSimpleName() + ")" + (m == null || m.isBlank() ? "" : ": " + m);
    }

    /**
     * @param t a failure of the command's own, not of the pool or the input (a result it cannot write, say)
     * @return an {@code internal} failure saying what happened
     */
    static Failure internal(Throwable t) {
        return new Failure(Kind.INTERNAL, unexpected(unwrap(t)), Optional.empty(), null);
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
