package dev.warmpool.transport.stdio;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Objects;

/**
 * How frames are cut out of a worker's stdout and put on its stdin.
 *
 * <p>{@link #NEWLINE}: one frame per UTF-8 line ending in {@code "\n"}; a {@code "\r"} before it is
 * stripped, a UTF-8 byte order mark at the very start of the stream is skipped, and empty lines are
 * skipped. {@link #CONTENT_LENGTH}: the Language Server Protocol's base protocol, a header block
 * ({@code Content-Length: N\r\n}, other headers ignored, then {@code \r\n}) followed by exactly
 * {@code N} bytes.
 *
 * <p>Readers keep one reusable 8 KiB buffer and read in bulk; they never hold more than the limit
 * of one frame, whatever the worker sends. Readers are for one thread; writers are thread-safe.
 */
public enum Framing {
    /** One frame per line: {@code "\n"}-terminated UTF-8. */
    NEWLINE("newline"),
    /** LSP base protocol: {@code Content-Length} header block, then the body. */
    CONTENT_LENGTH("content-length");

    private final String configName;

    Framing(String configName) {
        this.configName = configName;
    }

    /**
     * Looks a framing up by the name a setting or the worker's environment gives it.
     *
     * @param name {@code "newline"} or {@code "content-length"} (case and surrounding blanks ignored)
     * @return the framing of that name
     * @throws IllegalArgumentException naming the bad value and the valid ones
     */
    public static Framing parse(String name) {
        Objects.requireNonNull(name, "name");
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (Framing f : values()) {
            if (f.configName.equals(n)) {
                return f;
            }
        }
        throw new IllegalArgumentException("framing is '" + name + "', but must be one of: newline, content-length");
    }

    /** {@return the name {@link #parse(String)} accepts, e.g. {@code "content-length"}} */
    public String configName() {
        return configName;
    }

    /**
     * Creates a reader that cuts this framing's frames out of a stream, refusing any frame larger than the limit.
     *
     * @param in the stream to read, typically {@link WorkerProcess#stdout()}; read in bulk, so it
     *     need not be buffered
     * @param maxFrameBytes the largest frame accepted, in bytes (without terminator or header)
     * @return a reader of frames from {@code in}; not thread-safe
     * @throws IllegalArgumentException if {@code maxFrameBytes} is not positive
     */
    public FrameReader reader(InputStream in, int maxFrameBytes) {
        Objects.requireNonNull(in, "in");
        checkLimit(maxFrameBytes);
        return switch (this) {
            case NEWLINE -> new NewlineFrameReader(in, maxFrameBytes, true);
            case CONTENT_LENGTH -> new ContentLengthFrameReader(in, maxFrameBytes);
        };
    }

    /**
     * Creates a writer that puts frames on a stream in this framing, refusing any frame larger than the limit.
     *
     * @param out the stream to write, typically {@link WorkerProcess#stdin()}; each frame is flushed
     * @param maxFrameBytes the largest frame accepted, in bytes (without terminator or header)
     * @return a thread-safe writer of frames to {@code out}
     * @throws IllegalArgumentException if {@code maxFrameBytes} is not positive
     */
    public FrameWriter writer(OutputStream out, int maxFrameBytes) {
        Objects.requireNonNull(out, "out");
        checkLimit(maxFrameBytes);
        return switch (this) {
            case NEWLINE -> new NewlineFrameWriter(out, maxFrameBytes);
            case CONTENT_LENGTH -> new ContentLengthFrameWriter(out, maxFrameBytes);
        };
    }

    private static void checkLimit(int maxFrameBytes) {
        if (maxFrameBytes < 1) {
            throw new IllegalArgumentException("maxFrameBytes is " + maxFrameBytes + ", but must be positive");
        }
    }
}
