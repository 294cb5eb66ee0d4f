package dev.warmpool.worker;

import dev.warmpool.worker.wire.JsonRpcProtocol;
import java.util.Locale;
import java.util.Objects;

/**
 * How a {@link WorkerServer} cuts requests out of stdin and puts answers on stdout; the pool names
 * it in {@value JsonRpcProtocol#FRAMING_ENV}.
 *
 * <p>{@link #NEWLINE}: one message per UTF-8 line ending in {@code "\n"}; a {@code "\r"} before it
 * is dropped, a byte order mark at the very start is skipped, empty lines are skipped.
 * {@link #CONTENT_LENGTH}: the Language Server Protocol's base protocol, a header block
 * ({@code Content-Length: N\r\n}, other headers ignored, then {@code \r\n}) and exactly {@code N}
 * bytes of message.
 */
public enum Framing {
    /** One message per {@code "\n"}-terminated line; named {@code newline}. */
    NEWLINE,
    /** LSP base protocol: a {@code Content-Length} header block, then the message; named {@code content-length}. */
    CONTENT_LENGTH;

    /**
     * Looks a framing up by the name the pool gives it in the worker's environment.
     *
     * @param name {@code "newline"} or {@code "content-length"}, in any case, blanks around ignored
     * @return the framing of that name
     * @throws IllegalArgumentException naming the value and the names there are
     */
    public static Framing parse(String name) {
        return switch (Objects.requireNonNull(name, "name").trim().toLowerCase(Locale.ROOT)) {
            case "newline" -> NEWLINE;
            case "content-length" -> CONTENT_LENGTH;
            default -> throw new IllegalArgumentException("framing is '" + name
                    + "', but must be one of: newline, content-length");
        };
    }

    /** {@return the name {@link #parse(String)} takes and the pool sets, e.g. {@code "content-length"}} */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
