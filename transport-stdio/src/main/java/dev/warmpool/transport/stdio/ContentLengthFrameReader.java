package dev.warmpool.transport.stdio;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Content-Length framing: see {@link Framing#CONTENT_LENGTH}. Header lines end in {@code "\r\n"}
 * (a bare {@code "\n"} is accepted too); blank lines before a header block are skipped; header
 * names are case-insensitive.
 */
final class ContentLengthFrameReader implements FrameReader {
    private static final String CONTENT_LENGTH = "Content-Length";

    private final InputStream in;
    private final int max;
    private final byte[] buf = new byte[NewlineFrameReader.BUFFER_BYTES];
    private int pos;
    private int lim;
    /** One header line; grows (up to the header block's limit) only for a long one: every idle worker holds it. */
    private byte[] header = new byte[128];
    private int headerBlockBytes;
    private long skipRemaining;

    ContentLengthFrameReader(InputStream in, int max) {
        this.in = in;
        this.max = max;
    }

    @Override
    public int buffered() {
        return lim - pos;
    }

    @Override
    public byte @Nullable [] read() throws IOException {
        if (skipRemaining > 0 && !skipBody()) {
            return null;
        }
        headerBlockBytes = 0;
        long length = -1;
        boolean anyHeader = false;
        List<String> lines = new ArrayList<>(2);
        while (true) {
            String line = readHeaderLine(anyHeader);
            if (line == null) {
                return null;
            }
            if (line.isEmpty()) {
                if (anyHeader) {
                    break;
                }
                continue;
            }
            anyHeader = true;
            lines.add(line);
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new MalformedFrameException("malformed header line '" + quote(line)
                        + "': expected 'Name: value', e.g. 'Content-Length: 42'");
            }
            if (line.substring(0, colon).trim().equalsIgnoreCase(CONTENT_LENGTH)) {
                long parsed = parseLength(line.substring(colon + 1).trim());
                if (length >= 0 && parsed != length) {
                    throw new MalformedFrameException("two different Content-Length headers in one header block: "
                            + length + " and " + parsed);
                }
                length = parsed;
            }
        }
        if (length < 0) {
            throw new MalformedFrameException("header block without a Content-Length header: " + quote(String.join(" | ", lines)));
        }
        if (length > max) {
            skipRemaining = length;
            throw new FrameTooLargeException("frame of " + length + " bytes (declared by Content-Length)", length, max);
        }
        return readBody((int) length);
    }

    private static long parseLength(String v) throws MalformedFrameException {
        boolean ok = !v.isEmpty() && v.length() <= 18;
        for (int i = 0; ok && i < v.length(); i++) {
            ok = v.charAt(i) >= '0' && v.charAt(i) <= '9';
        }
        if (!ok) {
            throw new MalformedFrameException("Content-Length is '" + quote(v) + "', but must be a non-negative integer");
        }
        return Long.parseLong(v);
    }

    private static String quote(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }

    /** @return whether there is data; {@code false} at end-of-file */
    private boolean fill() throws IOException {
        while (true) {
            int n = in.read(buf, 0, buf.length);
            if (n < 0) {
                pos = 0;
                lim = 0;
                return false;
            }
            if (n > 0) {
                pos = 0;
                lim = n;
                return true;
            }
        }
    }

    /**
     * @param inBlock whether a header of this block was read (end-of-file is then a truncation)
     * @return the line without its line end, or {@code null} at a clean end-of-file before the block
     */
    private @Nullable String readHeaderLine(boolean inBlock) throws IOException {
        int len = 0;
        while (true) {
            if (pos == lim && !fill()) {
                if (len == 0 && !inBlock) {
                    return null;
                }
                throw new TruncatedFrameException("stream ended in the middle of a Content-Length header block", len);
            }
            byte b = buf[pos++];
            if (++headerBlockBytes > MalformedFrameException.MAX_HEADER_BYTES) {
                throw new MalformedFrameException("header block is longer than " + MalformedFrameException.MAX_HEADER_BYTES
                        + " bytes; starts with '" + quote(new String(header, 0, len, StandardCharsets.ISO_8859_1)) + "'");
            }
            if (b == '\n') {
                if (len > 0 && header[len - 1] == '\r') {
                    len--;
                }
                return new String(header, 0, len, StandardCharsets.ISO_8859_1);
            }
            if (len == header.length) {
                header = Arrays.copyOf(header, Math.min(header.length * 2, MalformedFrameException.MAX_HEADER_BYTES));
            }
            header[len++] = b;
        }
    }

    private byte[] readBody(int length) throws IOException {
        byte[] body = new byte[length];
        int off = Math.min(length, lim - pos);
        System.arraycopy(buf, pos, body, 0, off);
        pos += off;
        while (off < length) {
            // the rest goes straight into the frame, without passing through the buffer
            int n = in.read(body, off, length - off);
            if (n < 0) {
                throw new TruncatedFrameException("stream ended after " + off + " of " + length
                        + " bytes of a frame body (Content-Length: " + length + ")", off);
            }
            off += n;
        }
        return body;
    }

    /** Reads and drops the body of a frame that was too large. @return {@code false} at end-of-file */
    private boolean skipBody() throws IOException {
        while (skipRemaining > 0) {
            if (pos == lim && !fill()) {
                skipRemaining = 0;
                return false;
            }
            int n = (int) Math.min(skipRemaining, lim - pos);
            pos += n;
            skipRemaining -= n;
        }
        return true;
    }
}
