package dev.warmpool.worker;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serial;
import java.nio.charset.StandardCharsets;

/**
 * Cuts frames out of the worker's stdin in place: each frame is a slice of one reusable buffer
 * ({@link #buffer()}, {@link #start()}, {@link #length()}), valid until the next {@link #next()}, so
 * reading a request copies nothing and allocates nothing. The buffer starts at 64 KiB, grows for a
 * frame that needs it (never past the frame limit and its terminator) and shrinks again after.
 *
 * <p>Not thread-safe: one thread reads at a time (the thread holding the server's reader role).
 */
final class FrameInput {
    static final int BUFFER_BYTES = 1 << 16;
    /** The longest Content-Length header block accepted. */
    static final int MAX_HEADER_BYTES = 8192;
    /** A buffer grown past this for one large frame is replaced by a small one afterwards. */
    private static final int KEEP_BYTES = 1 << 20;
    private static final String CONTENT_LENGTH = "content-length";

    private final InputStream in;
    private final Framing framing;
    private final int max;
    private byte[] buf = new byte[BUFFER_BYTES];
    private int pos;
    private int lim;
    private boolean started;
    /** Newline framing: the rest of an oversize line is being skipped. */
    private boolean discarding;
    /** Content-Length framing: bytes of an oversize body still to skip. */
    private long skipping;
    private int start;
    private int length;

    FrameInput(InputStream in, Framing framing, int maxFrameBytes) {
        this.in = in;
        this.framing = framing;
        this.max = maxFrameBytes;
    }

    byte[] buffer() {
        return buf;
    }

    int start() {
        return start;
    }

    int length() {
        return length;
    }

    /**
     * Reads the next frame.
     *
     * @return {@code false} at a clean end-of-file between frames
     * @throws TooLarge for a frame over the limit; the next call skips the rest of it
     * @throws Truncated at end-of-file in the middle of a frame
     * @throws Malformed for a Content-Length header block that cannot be read
     * @throws IOException when stdin fails
     */
    boolean next() throws IOException {
        if (buf.length > KEEP_BYTES && lim - pos <= BUFFER_BYTES) {
            byte[] small = new byte[BUFFER_BYTES];
            System.arraycopy(buf, pos, small, 0, lim - pos);
            lim -= pos;
            pos = 0;
            buf = small;
        }
        return framing == Framing.NEWLINE ? nextLine() : nextBody();
    }

    // ---------------------------------------------------------------- newline framing

    private boolean nextLine() throws IOException {
        if (!started) {
            started = true;
            skipByteOrderMark();
        }
        if (discarding && !skipLine()) {
            return false;
        }
        int scanned = 0;
        while (true) {
            int nl = newline(pos + scanned, lim);
            if (nl >= 0) {
                int end = nl > pos && buf[nl - 1] == '\r' ? nl - 1 : nl;
                int from = pos;
                pos = nl + 1;
                scanned = 0;
                if (end == from) {
                    continue; // an empty line
                }
                if (end - from > max) {
                    throw new TooLarge("frame of " + (end - from) + " bytes", end - from, max);
                }
                start = from;
                length = end - from;
                return true;
            }
            scanned = lim - pos;
            if (scanned > max + 1) {
                // no newline within max + 1 bytes: even with a "\r" before its newline it is too large
                pos = lim;
                discarding = true;
                throw new TooLarge("frame of at least " + scanned + " bytes", scanned, max);
            }
            if (!more(scanned + 1)) {
                if (scanned > 0) {
                    pos = lim;
                    throw new Truncated("stdin ended in the middle of a line: " + scanned
                            + " bytes without a terminating newline");
                }
                return false;
            }
        }
    }

    private void skipByteOrderMark() throws IOException {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        for (int i = 0; i < bom.length; i++) {
            if (lim - pos <= i && !more(i + 1)) {
                return;
            }
            if (buf[pos + i] != bom[i]) {
                return;
            }
        }
        pos += bom.length;
    }

    /** Skips to just after the next newline. @return {@code false} at end-of-file */
    private boolean skipLine() throws IOException {
        while (true) {
            int nl = newline(pos, lim);
            if (nl >= 0) {
                pos = nl + 1;
                discarding = false;
                return true;
            }
            pos = lim;
            if (!more(1)) {
                discarding = false;
                return false;
            }
        }
    }

    private int newline(int from, int to) {
        byte[] b = buf;
        for (int i = from; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    // ---------------------------------------------------------------- Content-Length framing

    private boolean nextBody() throws IOException {
        if (skipping > 0 && !skipBody()) {
            return false;
        }
        long declared = -1;
        boolean inBlock = false;
        int blockBytes = 0;
        while (true) {
            int nl = newline(pos, lim);
            if (nl < 0) {
                if (blockBytes + lim - pos > MAX_HEADER_BYTES) {
                    throw new Malformed("header block is longer than " + MAX_HEADER_BYTES + " bytes; starts with '"
                            + text(pos, Math.min(lim, pos + 120)) + "'");
                }
                if (!more(lim - pos + 1)) {
                    if (inBlock || lim > pos) {
                        pos = lim;
                        throw new Truncated("stdin ended in the middle of a Content-Length header block");
                    }
                    return false;
                }
                continue;
            }
            int end = nl > pos && buf[nl - 1] == '\r' ? nl - 1 : nl;
            int from = pos;
            blockBytes += nl + 1 - pos;
            pos = nl + 1;
            if (blockBytes > MAX_HEADER_BYTES) {
                throw new Malformed("header block is longer than " + MAX_HEADER_BYTES + " bytes");
            }
            if (end == from) {
                if (inBlock) {
                    break; // the blank line that ends the block
                }
                blockBytes = 0;
                continue; // blank lines between frames
            }
            inBlock = true;
            long value = header(from, end);
            if (value >= 0) {
                if (declared >= 0 && value != declared) {
                    throw new Malformed("two different Content-Length headers in one header block: " + declared
                            + " and " + value);
                }
                declared = value;
            }
        }
        if (declared < 0) {
            throw new Malformed("header block without a Content-Length header");
        }
        if (declared > max) {
            skipping = declared;
            throw new TooLarge("frame of " + declared + " bytes (declared by Content-Length)", declared, max);
        }
        int n = (int) declared;
        while (lim - pos < n) {
            if (!more(n)) {
                int got = lim - pos;
                pos = lim;
                throw new Truncated("stdin ended after " + got + " of " + n + " bytes of a frame body (Content-Length: "
                        + n + ")");
            }
        }
        start = pos;
        length = n;
        pos += n;
        return true;
    }

    /** @return the value of a Content-Length header line, or -1 for another header */
    private long header(int from, int end) throws Malformed {
        int colon = -1;
        for (int i = from; i < end; i++) {
            if (buf[i] == ':') {
                colon = i;
                break;
            }
        }
        if (colon <= from) {
            throw new Malformed("malformed header line '" + text(from, end)
                    + "': expected 'Name: value', e.g. 'Content-Length: 42'");
        }
        String name = text(from, colon).trim();
        if (!name.equalsIgnoreCase(CONTENT_LENGTH)) {
            return -1;
        }
        String value = text(colon + 1, end).trim();
        if (value.isEmpty() || value.length() > 18 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new Malformed("Content-Length is '" + value + "', but must be a non-negative integer");
        }
        return Long.parseLong(value);
    }

    /** Reads and drops the rest of an oversize body. @return {@code false} at end-of-file */
    private boolean skipBody() throws IOException {
        long left = skipping;
        skipping = 0;
        while (left > lim - pos) {
            left -= lim - pos;
            pos = lim;
            if (!more(1)) {
                return false;
            }
        }
        pos += (int) left;
        return true;
    }

    private String text(int from, int to) {
        int end = Math.min(to, from + 200);
        return new String(buf, from, end - from, StandardCharsets.ISO_8859_1) + (end < to ? "..." : "");
    }

    // ---------------------------------------------------------------- the buffer

    /**
     * Reads more bytes after what the buffer holds, first making room for {@code need} bytes from
     * {@code pos}: moving the unread bytes to the front, or growing the buffer.
     *
     * @return {@code false} at end-of-file
     */
    private boolean more(int need) throws IOException {
        if (pos == lim) {
            pos = 0;
            lim = 0;
        }
        if (lim == buf.length || buf.length - pos < need) {
            int have = lim - pos;
            byte[] target = buf;
            if (buf.length < Math.max(need, have + 1)) {
                long grown = Math.max(Math.max(need, have + 1L), Math.min(buf.length * 2L, max + 2L));
                target = new byte[(int) Math.min(grown, Integer.MAX_VALUE - 8)];
            }
            System.arraycopy(buf, pos, target, 0, have);
            buf = target;
            pos = 0;
            lim = have;
        }
        int n;
        do {
            n = in.read(buf, lim, buf.length - lim);
        } while (n == 0);
        if (n < 0) {
            return false;
        }
        lim += n;
        return true;
    }

    /** A frame over the limit: answered with -32600 and skipped. */
    static final class TooLarge extends IOException {
        @Serial
        private static final long serialVersionUID = 1L;
        private final long size;
        private final int limit;

        TooLarge(String what, long size, int limit) {
            super(what + " exceeds the limit of " + limit + " bytes (maxFrameBytes)");
            this.size = size;
            this.limit = limit;
        }

        long size() {
            return size;
        }

        int limit() {
            return limit;
        }
    }

    /** End-of-file in the middle of a frame: serving ends. */
    static final class Truncated extends IOException {
        @Serial
        private static final long serialVersionUID = 1L;

        Truncated(String message) {
            super(message);
        }
    }

    /** A Content-Length header block that cannot be read: the next frame cannot be found. */
    static final class Malformed extends IOException {
        @Serial
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message);
        }
    }
}
