package dev.warmpool.worker.wire;

import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;

/**
 * Lets the reader of responses bind a result straight from the parser into the type its caller
 * asked for, in the one pass that reads the envelope: no tree in between. Given to
 * {@link JsonRpcDecoder#decode(byte[], int, int, JsonRpcMessage, ResultBinding)}.
 */
@FunctionalInterface
public interface ResultBinding {
    /** Binds nothing: every result is kept as a tree. */
    ResultBinding NONE = (id, parser) -> false;

    /**
     * Called when the decoder reaches the {@code result} of a response whose integer id it has
     * already read (the pool writes {@code id} first, and so do well-behaved workers).
     *
     * @param id the response's id
     * @param parser positioned at the first token of the result
     * @return {@code true} after reading the whole value (and keeping it where the caller will find
     *     it); {@code false}, without touching the parser, to have the result kept as a tree
     * @throws IOException as Jackson throws it when the value does not bind to the type; the
     *     decoder then decodes the whole frame again without binding, so the caller sees either a
     *     malformed frame or a result tree that it can report as unconvertible
     */
    boolean bind(long id, JsonParser parser) throws IOException;
}
