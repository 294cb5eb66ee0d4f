package dev.warmpool.worker.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import org.jspecify.annotations.Nullable;

/**
 * One JSON-RPC message as {@link JsonRpcDecoder} read it: its {@link Kind}, what is wrong with it if
 * anything ({@link Problem}), and its members. Absent members are {@link MissingNode}s (Jackson's
 * own "no such member"), so {@code id()} tells an absent id (a notification) from {@code "id":null}
 * (a {@code NullNode}).
 *
 * <p>A reader keeps one message and lets the decoder refill it frame after frame, so decoding
 * allocates no envelope object per message; whatever must outlive the next decode (the id, the
 * params) is copied out first. Not thread-safe.
 */
public final class JsonRpcMessage {
    /** What a frame held. */
    public enum Kind {
        /** Nothing but blanks: nothing was asked. */
        EMPTY,
        /** A JSON array: a batch, in {@link #batch()}; decode each element on its own. */
        BATCH,
        /** A request: a method and an id. */
        REQUEST,
        /** A notification: a method and no id. */
        NOTIFICATION,
        /** A response with a result. */
        RESULT,
        /** A response with an error. */
        ERROR,
        /** Not a valid JSON-RPC 2.0 message; {@link #problem()} says why. */
        INVALID
    }

    /** Why a message is {@link Kind#INVALID}. */
    public enum Problem {
        /** The message is valid. */
        NONE(""),
        /** A JSON value other than an object or array. */
        NOT_AN_OBJECT("a message that is not a JSON object"),
        /** No {@code jsonrpc} member: some other JSON (a structured log line, for example). */
        NO_VERSION("a JSON object without a jsonrpc member"),
        /** A {@code jsonrpc} member other than {@code "2.0"}. */
        WRONG_VERSION("a message with a jsonrpc member other than \"2.0\""),
        /** A {@code method} that is not a string. */
        METHOD_NOT_A_STRING("a message whose method is not a string"),
        /** {@code params} that are neither an object, an array nor {@code null}. */
        PARAMS_NOT_STRUCTURED("a request whose params are neither an object nor an array"),
        /** A request's {@code id} that is neither a string, a number nor {@code null}. */
        ID_NOT_A_SCALAR("a request whose id is neither a string, a number nor null"),
        /** A response with both {@code result} and {@code error}. */
        RESULT_AND_ERROR("a response with both result and error"),
        /** Neither {@code method}, {@code result} nor {@code error}. */
        NOTHING_TO_DO("a message with neither result, error nor method");

        private final String description;

        Problem(String description) {
            this.description = description;
        }

        /**
         * {@return a description of the message for error messages, e.g. "a response with both
         *     result and error"}
         */
        public String description() {
            return description;
        }
    }

    Kind kind = Kind.EMPTY;
    Problem problem = Problem.NONE;
    JsonNode version = MissingNode.getInstance();
    /** {@code null} while the id is a {@code long} not yet asked for as a node: a response's id costs no node. */
    /** Null while a long id has not been asked for as a node ({@link #id()} makes it). */
    @Nullable JsonNode id = MissingNode.getInstance();
    boolean idIsLong;
    long longId;
    String method = "";
    JsonNode params = MissingNode.getInstance();
    JsonNode result = MissingNode.getInstance();
    boolean resultBound;
    JsonNode error = MissingNode.getInstance();
    @Nullable ArrayNode batch;

    /** An empty message, to be filled by {@link JsonRpcDecoder}. */
    public JsonRpcMessage() {
    }

    void clear() {
        kind = Kind.EMPTY;
        problem = Problem.NONE;
        version = MissingNode.getInstance();
        id = MissingNode.getInstance();
        idIsLong = false;
        longId = 0;
        method = "";
        params = MissingNode.getInstance();
        result = MissingNode.getInstance();
        resultBound = false;
        error = MissingNode.getInstance();
        batch = null;
    }

    /** {@return the kind of message the frame held} */
    public Kind kind() {
        return kind;
    }

    /** {@return why the message is {@link Kind#INVALID}; {@link Problem#NONE} otherwise} */
    public Problem problem() {
        return problem;
    }

    /**
     * Says what is wrong with the message, in words fit for an error answer or a log line.
     *
     * @return the problem in words, with the offending value where there is one:
     *     {@code a message with jsonrpc "1.0" instead of "2.0"}; empty for a valid message
     */
    public String describeProblem() {
        if (problem == Problem.WRONG_VERSION) {
            return "a message with jsonrpc " + version + " instead of \"2.0\"";
        }
        return problem.description();
    }

    /** {@return the {@code jsonrpc} member as it was sent, or a {@code MissingNode}} */
    public JsonNode version() {
        return version;
    }

    /**
     * {@return the {@code id} member exactly as sent (a string, number or {@code NullNode}), or a
     *     {@code MissingNode}}
     */
    public JsonNode id() {
        if (id == null) {
            // as Jackson's parser tells them apart: an int when it fits, else a long
            id = longId == (int) longId ? IntNode.valueOf((int) longId) : LongNode.valueOf(longId);
        }
        return id;
    }

    /** {@return whether the id is an integer that fits a {@code long}: the only ids the pool sends} */
    public boolean idIsLong() {
        return idIsLong;
    }

    /** {@return the id as a {@code long}; meaningful only if {@link #idIsLong()}} */
    public long longId() {
        return longId;
    }

    /** {@return the method of a request or notification; empty for a response} */
    public String method() {
        return method;
    }

    /** {@return the {@code params} member (an object, array or {@code NullNode}), or a {@code MissingNode}} */
    public JsonNode params() {
        return params;
    }

    /**
     * Gives a response's result as a tree, unless the decoder bound it straight into a Java value.
     *
     * @return the {@code result} member as a tree, or a {@code MissingNode} when there is none or the
     *     decoder's {@link ResultBinding} took it ({@link #resultBound()})
     */
    public JsonNode result() {
        return result;
    }

    /** {@return whether the decoder's {@link ResultBinding} took the result straight from the parser} */
    public boolean resultBound() {
        return resultBound;
    }

    /** {@return the {@code error} member as a tree, or a {@code MissingNode}} */
    public JsonNode error() {
        return error;
    }

    /**
     * Gives the elements of a batch, for the caller to decode one at a time.
     *
     * @return the elements of a {@link Kind#BATCH}
     * @throws IllegalStateException if the message is not a batch
     */
    public ArrayNode batch() {
        if (batch == null) {
            throw new IllegalStateException("the message is " + kind + ", not a batch");
        }
        return batch;
    }

    @Override
    public String toString() {
        return "JsonRpcMessage[" + kind + (problem == Problem.NONE ? "" : " " + problem) + ", id " + id()
                + (method.isEmpty() ? "" : ", method " + method) + "]";
    }
}
