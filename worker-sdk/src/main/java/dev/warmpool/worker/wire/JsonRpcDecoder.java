package dev.warmpool.worker.wire;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.util.Objects;

/**
 * Reads one JSON-RPC message out of a frame with Jackson's streaming parser, for either end: the
 * envelope's members in one pass, {@code params}, {@code error} and an unbound {@code result} as
 * trees, a result the caller can bind ({@link ResultBinding}) straight into its Java type. It then
 * says what the message is ({@link JsonRpcMessage.Kind}) and what is wrong with it
 * ({@link JsonRpcMessage.Problem}), and leaves what to do about it to the end that reads it.
 *
 * <p>A frame is one JSON value: an object (a message), an array (a batch, returned as a tree whose
 * elements {@link #decode(JsonNode, JsonRpcMessage, ResultBinding)} reads one at a time), or
 * nothing but blanks. Members may come in any order; unknown members are skipped.
 *
 * <p>Immutable and thread-safe; the {@link JsonRpcMessage} it fills is not.
 */
public final class JsonRpcDecoder {
    private static final JsonNode VERSION = TextNode.valueOf("2.0");

    private final ObjectMapper mapper;
    /** Reads a value in the middle of a message: the protocol's mappers fail on trailing tokens, this must not. */
    private final ObjectReader trees;

    /**
     * Creates a decoder that reads frames with the parser limits of {@code mapper}.
     *
     * @param mapper reads the frames, with its parser limits; typically one from
     *     {@link JsonRpcProtocol#newObjectMapper(int)} or {@link JsonRpcProtocol#constrain}
     */
    public JsonRpcDecoder(ObjectMapper mapper) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.trees = mapper.readerFor(JsonNode.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /**
     * Decodes the frame in {@code frame[offset, offset + length)}.
     *
     * @param frame the buffer holding the frame
     * @param offset where the frame starts
     * @param length its length in bytes
     * @param into the message to fill; cleared first
     * @param binding binds results straight into the caller's types, or {@link ResultBinding#NONE}
     * @throws IOException if the frame is not one JSON value ({@code JsonParseException}) or breaks
     *     the parser limits ({@code StreamConstraintsException}); both are
     *     {@code JsonProcessingException}s with Jackson's description of where
     */
    public void decode(byte[] frame, int offset, int length, JsonRpcMessage into, ResultBinding binding)
            throws IOException {
        try {
            decodeOnce(frame, offset, length, into, binding);
        } catch (BindFailed e) {
            // the binding could not take the result: read it again as a tree, for the caller to report
            decodeOnce(frame, offset, length, into, ResultBinding.NONE);
        }
    }

    /**
     * Decodes a whole frame.
     *
     * @param frame the frame
     * @param into the message to fill; cleared first
     * @param binding binds results straight into the caller's types, or {@link ResultBinding#NONE}
     * @throws IOException as {@link #decode(byte[], int, int, JsonRpcMessage, ResultBinding)}
     */
    public void decode(byte[] frame, JsonRpcMessage into, ResultBinding binding) throws IOException {
        decode(frame, 0, frame.length, into, binding);
    }

    /**
     * Decodes one element of a {@link JsonRpcMessage.Kind#BATCH}.
     *
     * @param element the element
     * @param into the message to fill; cleared first
     * @param binding binds results straight into the caller's types, or {@link ResultBinding#NONE}
     */
    public void decode(JsonNode element, JsonRpcMessage into, ResultBinding binding) {
        into.clear();
        if (!element.isObject()) {
            invalid(into, JsonRpcMessage.Problem.NOT_AN_OBJECT);
            return;
        }
        try {
            try (JsonParser p = mapper.treeAsTokens(element)) {
                p.nextToken();
                object(p, into, binding);
            } catch (BindFailed e) {
                into.clear();
                try (JsonParser p = mapper.treeAsTokens(element)) {
                    p.nextToken();
                    object(p, into, ResultBinding.NONE);
                }
            }
        } catch (IOException e) {
            // a tree is valid JSON within the limits it was read with
            throw new IllegalStateException("reading a JSON tree failed: " + e.getMessage(), e);
        }
    }

    private void decodeOnce(byte[] frame, int offset, int length, JsonRpcMessage into, ResultBinding binding)
            throws IOException {
        into.clear();
        try (JsonParser p = mapper.createParser(frame, offset, length)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return; // blanks only: EMPTY
            }
            if (t == JsonToken.START_OBJECT) {
                object(p, into, binding);
            } else if (t == JsonToken.START_ARRAY) {
                into.batch = (ArrayNode) trees.readTree(p);
                into.kind = JsonRpcMessage.Kind.BATCH;
            } else {
                invalid(into, JsonRpcMessage.Problem.NOT_AN_OBJECT);
            }
            JsonToken trailing = p.nextToken();
            if (trailing != null) {
                throw new JsonParseException(p, "a frame holds one JSON value, but " + trailing
                        + " follows the message");
            }
        }
    }

    /** Reads an object's members, the parser on its {@code START_OBJECT}, and classifies it. */
    private void object(JsonParser p, JsonRpcMessage m, ResultBinding binding) throws IOException {
        boolean hasMethod = false;
        boolean methodIsText = false;
        boolean hasResult = false;
        boolean hasError = false;
        String field;
        while ((field = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            switch (field) {
                case "jsonrpc" -> m.version = version(p, t);
                case "id" -> id(p, t, m);
                case "method" -> {
                    hasMethod = true;
                    methodIsText = t == JsonToken.VALUE_STRING;
                    if (methodIsText) {
                        m.method = p.getText();
                    } else {
                        p.skipChildren();
                    }
                }
                case "params" -> m.params = trees.readTree(p);
                case "result" -> {
                    hasResult = true;
                    m.resultBound = m.idIsLong && bind(binding, m.longId, p);
                    m.result = m.resultBound ? com.fasterxml.jackson.databind.node.MissingNode.getInstance()
                            : trees.readTree(p);
                }
                case "error" -> {
                    hasError = true;
                    m.error = trees.readTree(p);
                }
                default -> p.skipChildren();
            }
        }
        classify(m, hasMethod, methodIsText, hasResult, hasError);
    }

    /** The reader hands out {@link #VERSION} itself for {@code "2.0"}, so identity is the check. */
    @SuppressWarnings("ReferenceEquality")
    private static boolean isVersion(JsonNode version) {
        return version == VERSION;
    }

    private static void classify(JsonRpcMessage m, boolean hasMethod, boolean methodIsText, boolean hasResult,
            boolean hasError) {
        if (m.version.isMissingNode()) {
            invalid(m, JsonRpcMessage.Problem.NO_VERSION);
        } else if (!isVersion(m.version)) {
            invalid(m, JsonRpcMessage.Problem.WRONG_VERSION);
        } else if (hasMethod) {
            if (!methodIsText) {
                invalid(m, JsonRpcMessage.Problem.METHOD_NOT_A_STRING);
            } else if (!m.params.isMissingNode() && !m.params.isContainerNode() && !m.params.isNull()) {
                invalid(m, JsonRpcMessage.Problem.PARAMS_NOT_STRUCTURED);
            } else if (!m.idIsLong && m.id != null && !m.id.isMissingNode() && !m.id.isTextual() && !m.id.isNumber()
                    && !m.id.isNull()) {
                invalid(m, JsonRpcMessage.Problem.ID_NOT_A_SCALAR);
            } else {
                // (m.id is null only for a long id, made when asked for)
                m.kind = !m.idIsLong && m.id != null && m.id.isMissingNode() ? JsonRpcMessage.Kind.NOTIFICATION
                        : JsonRpcMessage.Kind.REQUEST;
            }
        } else if (hasResult && hasError) {
            invalid(m, JsonRpcMessage.Problem.RESULT_AND_ERROR);
        } else if (hasResult) {
            m.kind = JsonRpcMessage.Kind.RESULT;
        } else if (hasError) {
            m.kind = JsonRpcMessage.Kind.ERROR;
        } else {
            invalid(m, JsonRpcMessage.Problem.NOTHING_TO_DO);
        }
    }

    private static void invalid(JsonRpcMessage m, JsonRpcMessage.Problem problem) {
        m.kind = JsonRpcMessage.Kind.INVALID;
        m.problem = problem;
    }

    /** @return the shared {@code "2.0"} node for the expected version (no allocation), else the member as sent */
    private JsonNode version(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_STRING && p.getTextLength() == 3) {
            char[] c = p.getTextCharacters();
            int o = p.getTextOffset();
            if (c[o] == '2' && c[o + 1] == '.' && c[o + 2] == '0') {
                return VERSION;
            }
        }
        return trees.readTree(p);
    }

    private void id(JsonParser p, JsonToken t, JsonRpcMessage m) throws IOException {
        m.idIsLong = false;
        switch (t) {
            case VALUE_NUMBER_INT -> {
                JsonParser.NumberType type = p.getNumberType();
                if (type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG) {
                    m.longId = p.getLongValue();
                    m.idIsLong = true;
                    m.id = null; // made when asked for
                } else {
                    m.id = trees.readTree(p);
                }
            }
            case VALUE_STRING -> m.id = TextNode.valueOf(p.getText());
            case VALUE_NULL -> m.id = NullNode.getInstance();
            default -> m.id = trees.readTree(p);
        }
    }

    private static boolean bind(ResultBinding binding, long id, JsonParser p) {
        try {
            return binding.bind(id, p);
        } catch (IOException | RuntimeException e) {
            throw new BindFailed(e);
        }
    }

    /** Unwinds a decode whose binding failed, so it can be done again without binding. */
    private static final class BindFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BindFailed(Throwable cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }
}
