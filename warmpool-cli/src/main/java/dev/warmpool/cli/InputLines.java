package dev.warmpool.cli;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The input of {@code warmpool run}, line by line, decoded as strict UTF-8.
 *
 * <p>A line ends at {@code \n}; a {@code \r} just before it is dropped. A line that is not valid
 * UTF-8 (including an encoded UTF-16 surrogate, which UTF-8 forbids) is returned as
 * {@link Invalid} with the offset of the first bad byte, never silently repaired. A line longer than
 * the limit is not kept in memory: its bytes are skipped up to its end and it is returned as
 * {@link Invalid} too, so one huge line costs neither memory nor the lines after it.
 *
 * <p>Not thread-safe; one reader thread.
 */
final class InputLines implements AutoCloseable {
    /** What one line turned into. */
    sealed interface Line {
        /** @return the line's 1-based number */
        long number();
    }

    /**
     * A line of text.
     *
     * @param number its 1-based number
     * @param text the line without its line break
     */
    record Text(long number, String text) implements Line {
    }

    /**
     * A line that cannot be a request.
     *
     * @param number its 1-based number
     * @param message why, for a person
     */
    record Invalid(long number, String message) implements Line {
    }

    private final InputStream in;
    private final int limit;
    private final String limitSource;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private byte[] buffer = new byte[8192];
    private long number;

    /**
     * @param in the bytes; closed by {@link #close()}
     * @param limit the longest line kept, in bytes without the line break
     * @param limitSource where the limit is set, for the message about a longer line
     */
    InputLines(InputStream in, int limit, String limitSource) {
        this.in = new BufferedInputStream(in, 65536);
        this.limit = limit;
        this.limitSource = limitSource;
    }

    /**
     * Reads the next line. Blocks until a whole line (or the end) has arrived.
     *
     * @return the line, or empty at the end of the input (a last line without {@code \n} counts)
     * @throws IOException if reading fails
     */
    Optional<Line> next() throws IOException {
        int length = 0;
        long skipped = 0;
        boolean any = false;
        int b;
        while ((b = in.read()) >= 0) {
            any = true;
            if (b == '\n') {
                break;
            }
            if (length < limit + 1) {
                if (length == buffer.length) {
                    buffer = Arrays.copyOf(buffer, (int) Math.min((long) buffer.length * 2, limit + 1L));
                }
                buffer[length++] = (byte) b;
            } else {
                skipped++;
            }
        }
        if (!any) {
            return Optional.empty();
        }
        number++;
        if (length > 0 && buffer[length - 1] == '\r' && skipped == 0) {
            length--;
        }
        if (length > limit) {
            return Optional.of(new Invalid(number, String.format(Locale.ROOT,
                    "line %d is %,d bytes long, over the frame limit of %,d bytes (%s); it was skipped unread",
                    number, length + skipped, limit, limitSource)));
        }
        return Optional.of(decode(length));
    }

    private Line decode(int length) {
        ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, length);
        CharBuffer chars = CharBuffer.allocate(length);
        decoder.reset();
        CoderResult r = decoder.decode(bytes, chars, true);
        if (!r.isError()) {
            r = decoder.flush(chars);
        }
        if (r.isError()) {
            int at = bytes.position();
            StringBuilder bad = new StringBuilder();
            for (int i = at; i < Math.min(length, at + r.length()); i++) {
                bad.append(String.format(Locale.ROOT, "%s0x%02X", bad.isEmpty() ? "" : " ", buffer[i] & 0xFF));
            }
            return new Invalid(number, "line " + number + " is not valid UTF-8: "
                    + (r.length() == 1 ? "the byte " + bad + " at byte offset " + at + " forms"
                            : "the bytes " + bad + " at byte offset " + at + " form")
                    + " no character (the input must be UTF-8; nothing was replaced or sent)");
        }
        chars.flip();
        return new Text(number, chars.toString());
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
