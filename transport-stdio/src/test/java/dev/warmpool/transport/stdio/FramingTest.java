package dev.warmpool.transport.stdio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FramingTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String str(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /** Hands out at most one byte per read, the worst a pipe can do. */
    private static final class Trickle extends InputStream {
        private final byte[] data;
        private int pos;
        int singleByteReads;

        Trickle(byte[] data) {
            this.data = data;
        }

        @Override
        public int read() {
            singleByteReads++;
            return pos < data.length ? data[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (pos >= data.length) {
                return -1;
            }
            b[off] = data[pos++];
            return 1;
        }
    }

    /** Counts bulk and single-byte reads of an in-memory stream. */
    private static final class Counting extends ByteArrayInputStream {
        int singleByteReads;
        int bulkReads;

        Counting(byte[] data) {
            super(data);
        }

        @Override
        public synchronized int read() {
            singleByteReads++;
            return super.read();
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            bulkReads++;
            return super.read(b, off, len);
        }
    }

    /** An endless stream of 'x' without a newline: a runaway worker. */
    private static final class Runaway extends InputStream {
        long served;

        @Override
        public int read() {
            served++;
            return 'x';
        }

        @Override
        public int read(byte[] b, int off, int len) {
            java.util.Arrays.fill(b, off, off + len, (byte) 'x');
            served += len;
            return len;
        }
    }

    private static List<String> readAll(FrameReader r) throws IOException {
        List<String> out = new ArrayList<>();
        byte[] f;
        while ((f = r.read()) != null) {
            out.add(str(f));
        }
        return out;
    }

    // ---- names

    @Test
    void parsesNamesAndRejectsOthersNamingTheValidOnes() {
        assertEquals(Framing.NEWLINE, Framing.parse("newline"));
        assertEquals(Framing.CONTENT_LENGTH, Framing.parse(" Content-Length "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Framing.parse("lsp"));
        assertTrue(e.getMessage().contains("'lsp'"), e.getMessage());
        assertTrue(e.getMessage().contains("newline") && e.getMessage().contains("content-length"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Framing.NEWLINE.reader(InputStream.nullInputStream(), 0));
    }

    // ---- newline

    @Test
    void newlineSplitsLinesStripsCrSkipsBomAndEmptyLines() throws IOException {
        byte[] data = bytes("\uFEFFfirst\r\n\n\r\nsecond\nthird ✓\n");
        assertEquals(List.of("first", "second", "third ✓"), readAll(Framing.NEWLINE.reader(new ByteArrayInputStream(data), 100)));
    }

    @Test
    void newlineBomOnlyAtTheVeryStart() throws IOException {
        byte[] data = bytes("a\n\uFEFFb\n");
        List<String> lines = readAll(Framing.NEWLINE.reader(new ByteArrayInputStream(data), 100));
        assertEquals(List.of("a", "\uFEFFb"), lines);
    }

    @Test
    void newlineOneByteAtATime() throws IOException {
        StringBuilder sb = new StringBuilder("\uFEFF");
        for (int i = 0; i < 50; i++) {
            sb.append("line ").append(i).append(i % 2 == 0 ? "\r\n" : "\n");
        }
        Trickle in = new Trickle(bytes(sb.toString()));
        List<String> lines = readAll(Framing.NEWLINE.reader(in, 100));
        assertEquals(50, lines.size());
        assertEquals("line 0", lines.get(0));
        assertEquals("line 49", lines.get(49));
        assertEquals(0, in.singleByteReads, "the reader must read in bulk");
    }

    @Test
    void newlineAcrossManyWritesOfAPipe() throws Exception {
        PipedInputStream in = new PipedInputStream(16);
        PipedOutputStream out = new PipedOutputStream(in);
        String big = "y".repeat(100_000);
        Thread writer = new Thread(() -> {
            try (out) {
                byte[] data = bytes("one\r\n" + big + "\n\ntwo\n");
                for (int i = 0; i < data.length; i += 7) {
                    out.write(data, i, Math.min(7, data.length - i));
                }
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        writer.start();
        FrameReader r = Framing.NEWLINE.reader(in, 200_000);
        assertEquals("one", str(r.read()));
        assertEquals(big, str(r.read()));
        assertEquals("two", str(r.read()));
        assertNull(r.read());
        writer.join();
    }

    @Test
    void newlineReadsInBulk() throws IOException {
        Counting in = new Counting(bytes("a\n".repeat(100_000)));
        FrameReader r = Framing.NEWLINE.reader(in, 10);
        int n = 0;
        while (r.read() != null) {
            n++;
        }
        assertEquals(100_000, n);
        assertEquals(0, in.singleByteReads);
        // one read per buffer's worth (and one for the end), not one per line: 100,000 lines in 26 reads
        int buffers = 200_000 / NewlineFrameReader.BUFFER_BYTES + 1;
        assertTrue(in.bulkReads <= buffers + 1, "bulk reads: " + in.bulkReads + ", buffers of input: " + buffers);
    }

    @Test
    void newlineLimitIsTheFrameWithoutTerminator() throws IOException {
        String ten = "0123456789";
        FrameReader r = Framing.NEWLINE.reader(new ByteArrayInputStream(bytes(ten + "\n" + ten + "\r\n" + "012345678\n")), 10);
        assertEquals(ten, str(r.read()));
        assertEquals(ten, str(r.read()), "a \\r before the newline does not count");
        assertEquals("012345678", str(r.read()));
        assertNull(r.read());
    }

    @Test
    void newlineJustOverTheLimitFailsAndTheNextFrameIsRead() throws IOException {
        FrameReader r = Framing.NEWLINE.reader(new ByteArrayInputStream(bytes("01234567890\nnext\n")), 10);
        FrameTooLargeException e = assertThrows(FrameTooLargeException.class, r::read);
        assertEquals(10, e.limit());
        assertEquals(11, e.size());
        assertTrue(e.getMessage().contains("11 bytes") && e.getMessage().contains("limit of 10 bytes (maxFrameBytes)"),
                e.getMessage());
        assertEquals("next", str(r.read()));
    }

    @Test
    void newlineOversizeAcrossRefillsIsDiscardedWithoutBuffering() throws IOException {
        byte[] data = bytes("z".repeat(300_000) + "\nafter\n");
        Trickle slow = new Trickle(data);
        FrameReader r = Framing.NEWLINE.reader(slow, 1000);
        FrameTooLargeException e = assertThrows(FrameTooLargeException.class, r::read);
        assertEquals(1002, e.size(), "gives up as soon as limit + 2 bytes arrived");
        assertEquals("after", str(r.read()));
        assertNull(r.read());
    }

    @Test
    void newlineRunawayWorkerCannotExhaustMemory() {
        Runaway in = new Runaway();
        FrameReader r = Framing.NEWLINE.reader(in, 1 << 20);
        FrameTooLargeException e = assertThrows(FrameTooLargeException.class, r::read);
        assertTrue(e.size() > (1 << 20) && e.size() <= (1 << 20) + 65536 + 1, "size " + e.size());
        assertTrue(e.getMessage().startsWith("frame of at least "), e.getMessage());
        assertTrue(in.served < (1 << 20) + 2 * 65536, "read " + in.served);
    }

    @Test
    void newlineTruncatedAtEndOfFile() throws IOException {
        FrameReader r = Framing.NEWLINE.reader(new ByteArrayInputStream(bytes("whole\npart")), 100);
        assertEquals("whole", str(r.read()));
        TruncatedFrameException e = assertThrows(TruncatedFrameException.class, r::read);
        assertEquals(4, e.received());
    }

    @Test
    void aShortFirstLineIsNotHeldBackByTheBomCheck() throws Exception {
        PipedInputStream in = new PipedInputStream();
        PipedOutputStream out = new PipedOutputStream(in);
        out.write(bytes("x\n"));
        out.flush();
        FrameReader r = Framing.NEWLINE.reader(in, 10);
        assertEquals("x", str(r.read()), "must not wait for a third byte while the stream stays open");
        out.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'y', '\n'});
        assertEquals("\uFEFFy", str(r.read()), "a BOM after the start is data");
        out.close();
    }

    @Test
    void newlineEmptyStreamAndBomOnly() throws IOException {
        assertNull(Framing.NEWLINE.reader(InputStream.nullInputStream(), 10).read());
        assertNull(Framing.NEWLINE.reader(new ByteArrayInputStream(bytes("\uFEFF")), 10).read());
        assertNull(Framing.NEWLINE.reader(new Trickle(bytes("\uFEFF\n\n")), 10).read());
    }

    @Test
    void lineTransportReaderKeepsEmptyLines() throws IOException {
        FrameReader r = new NewlineFrameReader(new ByteArrayInputStream(bytes("\n\r\nx\n")), 10, false);
        assertEquals("", str(r.read()));
        assertEquals("", str(r.read()));
        assertEquals("x", str(r.read()));
        assertNull(r.read());
    }

    @Test
    void newlineWriterAddsNewlineAndChecks() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameWriter w = Framing.NEWLINE.writer(out, 5);
        w.write(bytes("hello"));
        w.write(bytes(""));
        assertEquals("hello\n\n", out.toString(StandardCharsets.UTF_8));
        FrameTooLargeException e = assertThrows(FrameTooLargeException.class, () -> w.write(bytes("hello!")));
        assertEquals(6, e.size());
        assertThrows(IllegalArgumentException.class, () -> w.write(bytes("a\nb")));
        assertEquals("hello\n\n", out.toString(StandardCharsets.UTF_8), "nothing written on failure");
    }

    // ---- content-length

    @Test
    void contentLengthRoundTrip() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameWriter w = Framing.CONTENT_LENGTH.writer(out, 100);
        w.write(bytes("{\"a\":1}"));
        w.write(bytes("line one\nline two ✓"));
        w.write(new byte[0]);
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("Content-Length: 7\r\n\r\n{\"a\":1}Content-Length: "));
        FrameReader r = Framing.CONTENT_LENGTH.reader(new ByteArrayInputStream(out.toByteArray()), 100);
        assertEquals(List.of("{\"a\":1}", "line one\nline two ✓", ""), readAll(r));
    }

    @Test
    void contentLengthOtherHeadersIgnoredNamesCaseInsensitive() throws IOException {
        byte[] data = bytes("Content-Type: application/vscode-jsonrpc; charset=utf-8\r\ncontent-length:  3\r\n\r\nabc"
                + "CONTENT-LENGTH: 2\n\nde");
        assertEquals(List.of("abc", "de"), readAll(Framing.CONTENT_LENGTH.reader(new ByteArrayInputStream(data), 10)));
    }

    @Test
    void contentLengthOneByteAtATime() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameWriter w = Framing.CONTENT_LENGTH.writer(out, 1000);
        for (int i = 0; i < 20; i++) {
            w.write(bytes("message " + i));
        }
        Trickle in = new Trickle(out.toByteArray());
        List<String> frames = readAll(Framing.CONTENT_LENGTH.reader(in, 1000));
        assertEquals(20, frames.size());
        assertEquals("message 19", frames.get(19));
        assertEquals(0, in.singleByteReads);
    }

    @Test
    void contentLengthLimit() throws IOException {
        byte[] data = bytes("Content-Length: 10\r\n\r\n0123456789Content-Length: 11\r\n\r\n01234567890Content-Length: 1\r\n\r\nz");
        FrameReader r = Framing.CONTENT_LENGTH.reader(new ByteArrayInputStream(data), 10);
        assertEquals("0123456789", str(r.read()));
        FrameTooLargeException e = assertThrows(FrameTooLargeException.class, r::read);
        assertEquals(11, e.size());
        assertTrue(e.getMessage().contains("11 bytes (declared by Content-Length)"), e.getMessage());
        assertEquals("z", str(r.read()), "the oversize body is skipped");
        assertNull(r.read());
    }

    @Test
    void contentLengthHugeDeclarationIsNotAllocated() {
        byte[] data = bytes("Content-Length: 999999999999\r\n\r\n");
        FrameReader r = Framing.CONTENT_LENGTH.reader(new ByteArrayInputStream(data), 1 << 24);
        FrameTooLargeException e = assertThrows(FrameTooLargeException.class, r::read);
        assertEquals(999_999_999_999L, e.size());
    }

    @Test
    void contentLengthMalformedHeaders() {
        for (String bad : List.of("Content-Length: abc\r\n\r\n", "Content-Length: -1\r\n\r\n",
                "Content-Type: x\r\n\r\nbody", "hello world\r\n\r\n", "Content-Length: 1\r\nContent-Length: 2\r\n\r\nxy")) {
            FrameReader r = Framing.CONTENT_LENGTH.reader(new ByteArrayInputStream(bytes(bad)), 100);
            MalformedFrameException e = assertThrows(MalformedFrameException.class, r::read, bad);
            assertTrue(e.getMessage().length() > 20, e.getMessage());
        }
        FrameReader endless = Framing.CONTENT_LENGTH.reader(new Runaway(), 100);
        MalformedFrameException e = assertThrows(MalformedFrameException.class, endless::read);
        assertTrue(e.getMessage().contains("longer than 8192 bytes"), e.getMessage());
    }

    @Test
    void contentLengthTruncated() throws IOException {
        FrameReader body = Framing.CONTENT_LENGTH.reader(new ByteArrayInputStream(bytes("Content-Length: 10\r\n\r\nabc")), 100);
        TruncatedFrameException e = assertThrows(TruncatedFrameException.class, body::read);
        assertEquals(3, e.received());
        assertTrue(e.getMessage().contains("3 of 10"), e.getMessage());
        FrameReader head = Framing.CONTENT_LENGTH.reader(new ByteArrayInputStream(bytes("Content-Length: 10\r\n")), 100);
        assertThrows(TruncatedFrameException.class, head::read);
        assertNull(Framing.CONTENT_LENGTH.reader(new ByteArrayInputStream(bytes("\r\n")), 100).read());
    }

    @Test
    void contentLengthWriterChecksLimit() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameWriter w = Framing.CONTENT_LENGTH.writer(out, 3);
        assertThrows(FrameTooLargeException.class, () -> w.write(bytes("abcd")));
        assertEquals(0, out.size());
    }

    @Test
    void contentLengthLargeBodyAcrossPipe() throws Exception {
        PipedInputStream in = new PipedInputStream(1024);
        PipedOutputStream pout = new PipedOutputStream(in);
        byte[] big = bytes("q".repeat(500_000));
        Thread writer = new Thread(() -> {
            try (pout) {
                Framing.CONTENT_LENGTH.writer(pout, 1 << 20).write(big);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        writer.start();
        FrameReader r = Framing.CONTENT_LENGTH.reader(in, 1 << 20);
        assertArrayEquals(big, r.read());
        assertNull(r.read());
        writer.join();
    }
}
