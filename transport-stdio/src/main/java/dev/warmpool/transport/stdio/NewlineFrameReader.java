package dev.warmpool.transport.stdio;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Newline framing: see {@link Framing#NEWLINE}. Reads into one reusable buffer; a line that spans
 * refills is gathered in a second buffer that never grows beyond the limit plus one byte (room for
 * a {@code "\r"} before the newline).
 */
final class NewlineFrameReader implements FrameReader {
    /**
     * The read buffer: every idle worker holds one, so it is small. 8 KiB is the size of the
     * JDK's own buffer in a process's stdout stream; a read of at least that size bypasses it, so
     * a frame under 8 KiB takes one read and no extra copy, and a larger one is gathered in a few.
     */
    static final int BUFFER_BYTES = 8192;
    /**
     * A gathering buffer larger than this is dropped after its frame instead of kept for reuse, so
     * that an idle worker does not keep the memory of its largest answer.
     */
    private static final int KEEP_BYTES = 1 << 14;
    private static final byte[] EMPTY = new byte[0];

    private final InputStream in;
    private final int max;
    private final boolean skipEmpty;
    private final byte[] buf = new byte[BUFFER_BYTES];
    private int pos;
    private int lim;
    private boolean started;
    private boolean discarding;
    private byte[] acc = EMPTY;
    private int accLen;

    /**
     * @param skipEmpty whether empty lines are skipped (framing) or returned as empty frames (the
     *     {@code line} transport, where an empty line is a valid answer)
     */
    NewlineFrameReader(InputStream in, int max, boolean skipEmpty) {
        this.in = in;
        this.max = max;
        this.skipEmpty = skipEmpty;
    }

    @Override
    public int buffered() {
        return lim - pos;
    }

    @Override
    public byte @Nullable [] read() throws IOException {
        if (!started) {
            started = true;
            skipBom();
        }
        if (discarding && !discardLine()) {
            return null;
        }
        while (true) {
            byte[] frame = readLine();
            if (frame == null || frame.length > 0 || !skipEmpty) {
                return frame;
            }
        }
    }

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    /** Skips a byte order mark; reads more only while what arrived so far could still be one. */
    private void skipBom() throws IOException {
        while (true) {
            int have = lim - pos;
            for (int i = 0; i < Math.min(have, BOM.length); i++) {
                if (buf[pos + i] != BOM[i]) {
                    return;
                }
            }
            if (have >= BOM.length) {
                pos += BOM.length;
                return;
            }
            int n = in.read(buf, lim, buf.length - lim);
            if (n < 0) {
                return;
            }
            lim += n;
        }
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

    private static int indexOfNewline(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Skips to just after the next newline. @return {@code false} at end-of-file */
    private boolean discardLine() throws IOException {
        while (true) {
            if (pos == lim && !fill()) {
                discarding = false;
                return false;
            }
            int nl = indexOfNewline(buf, pos, lim);
            if (nl >= 0) {
                pos = nl + 1;
                discarding = false;
                return true;
            }
            pos = lim;
        }
    }

    private byte @Nullable [] readLine() throws IOException {
        accLen = 0;
        while (true) {
            if (pos == lim && !fill()) {
                if (accLen == 0) {
                    return null;
                }
                int got = accLen;
                release();
                throw new TruncatedFrameException("stream ended in the middle of a line: " + got
                        + " bytes without a terminating newline", got);
            }
            int nl = indexOfNewline(buf, pos, lim);
            if (nl >= 0) {
                return finishLine(nl);
            }
            int seg = lim - pos;
            long seen = (long) accLen + seg;
            if (seen > (long) max + 1) {
                // no newline within max + 1 bytes: even with a "\r" before its newline the frame is too large
                pos = lim;
                release();
                discarding = true;
                throw new FrameTooLargeException(seen, max);
            }
            append(pos, seg);
            pos = lim;
        }
    }

    private byte[] finishLine(int nl) throws FrameTooLargeException {
        int seg = nl - pos;
        long total = (long) accLen + seg;
        byte last = seg > 0 ? buf[nl - 1] : accLen > 0 ? acc[accLen - 1] : 0;
        long len = last == '\r' ? total - 1 : total;
        if (len > max) {
            pos = nl + 1;
            release();
            throw new FrameTooLargeException("frame of " + len + " bytes", len, max);
        }
        byte[] frame;
        if (accLen == 0) {
            frame = Arrays.copyOfRange(buf, pos, pos + (int) len);
        } else {
            int n = (int) len;
            frame = new byte[n];
            int fromAcc = Math.min(accLen, n);
            System.arraycopy(acc, 0, frame, 0, fromAcc);
            if (n > fromAcc) {
                System.arraycopy(buf, pos, frame, fromAcc, n - fromAcc);
            }
            release();
        }
        pos = nl + 1;
        return frame;
    }

    private void append(int from, int n) {
        int need = accLen + n;
        if (need > acc.length) {
            int cap = (int) Math.min((long) max + 1, Math.max((long) need, Math.max(acc.length * 2L, 1024)));
            acc = Arrays.copyOf(acc, cap);
        }
        System.arraycopy(buf, from, acc, accLen, n);
        accLen = need;
    }

    private void release() {
        accLen = 0;
        if (acc.length > KEEP_BYTES) {
            acc = EMPTY;
        }
    }
}
