package dev.warmpool.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cutting frames out of stdin in place: both framings, frames that span reads, the limit, the end. */
class FrameInputTest {
    private static FrameInput input(Framing framing, int max, String text) {
        return input(framing, max, text.getBytes(StandardCharsets.UTF_8), Integer.MAX_VALUE);
    }

    /** @param chunk at most this many bytes per read, as a pipe delivers them */
    private static FrameInput input(Framing framing, int max, byte[] bytes, int chunk) {
        InputStream in = new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
        return new FrameInput(in, framing, max);
    }

    private static String frame(FrameInput in) {
        return new String(in.buffer(), in.start(), in.length(), StandardCharsets.UTF_8);
    }

    private static List<String> all(FrameInput in) throws IOException {
        List<String> frames = new ArrayList<>();
        while (in.next()) {
            frames.add(frame(in));
        }
        return frames;
    }

    @Test
    void newlineFramesSkipAByteOrderMarkCarriageReturnsAndEmptyLines() throws IOException {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(bom);
        out.writeBytes("one\r\n\n\r\ntwo\nthree\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("one", "two", "three"),
                all(input(Framing.NEWLINE, 100, out.toByteArray(), Integer.MAX_VALUE)));
        // a byte order mark only counts at the very start
        out.reset();
        out.writeBytes("a\n".getBytes(StandardCharsets.UTF_8));
        out.writeBytes(bom);
        out.writeBytes("b\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("a", "\uFEFFb"), all(input(Framing.NEWLINE, 100, out.toByteArray(), Integer.MAX_VALUE)));
    }

    @Test
    void framesArriveWholeWhateverTheReadsCutThem() throws IOException {
        byte[] bytes = "{\"a\":1}\n{\"b\":22}\r\n{\"c\":333}\n".getBytes(StandardCharsets.UTF_8);
        for (int chunk = 1; chunk < 12; chunk++) {
            assertEquals(List.of("{\"a\":1}", "{\"b\":22}", "{\"c\":333}"),
                    all(input(Framing.NEWLINE, 100, bytes, chunk)), "chunk " + chunk);
        }
    }

    @Test
    void aFrameLargerThanTheBufferIsReadWholeAndTheBufferShrinksAfterward() throws IOException {
        String big = "x".repeat(3 * 1024 * 1024);
        FrameInput in = input(Framing.NEWLINE, 4 * 1024 * 1024,
                (big + "\nsmall\n").getBytes(StandardCharsets.UTF_8), 50_000);
        assertTrue(in.next());
        assertEquals(big, frame(in));
        assertTrue(in.buffer().length > FrameInput.BUFFER_BYTES);
        assertTrue(in.next());
        assertEquals("small", frame(in));
        assertEquals(FrameInput.BUFFER_BYTES, in.buffer().length);
        assertFalse(in.next());
    }

    @Test
    void anOversizeLineIsReportedAndSkippedAndTheNextFrameRead() throws IOException {
        // found at its newline, and found before its newline (longer than the limit plus one byte)
        for (int chunk : new int[] {Integer.MAX_VALUE, 7}) {
            FrameInput in = input(Framing.NEWLINE, 10, ("0123456789AB\nok\n" + "y".repeat(40) + "\nlast\n")
                    .getBytes(StandardCharsets.UTF_8), chunk);
            FrameInput.TooLarge first = assertThrows(FrameInput.TooLarge.class, in::next);
            assertEquals(10, first.limit());
            assertTrue(first.size() > 10, first.getMessage());
            assertTrue(first.getMessage().endsWith("exceeds the limit of 10 bytes (maxFrameBytes)"), first.getMessage());
            assertTrue(in.next());
            assertEquals("ok", frame(in));
            assertThrows(FrameInput.TooLarge.class, in::next);
            assertTrue(in.next());
            assertEquals("last", frame(in));
            assertFalse(in.next());
        }
    }

    @Test
    void aLineOfExactlyTheLimitIsAccepted() throws IOException {
        FrameInput in = input(Framing.NEWLINE, 10, "0123456789\r\n");
        assertTrue(in.next());
        assertEquals("0123456789", frame(in));
    }

    @Test
    void endOfInputInTheMiddleOfALineIsATruncation() throws IOException {
        FrameInput in = input(Framing.NEWLINE, 100, "whole\nhalf");
        assertTrue(in.next());
        FrameInput.Truncated e = assertThrows(FrameInput.Truncated.class, in::next);
        assertEquals("stdin ended in the middle of a line: 4 bytes without a terminating newline", e.getMessage());
        assertFalse(input(Framing.NEWLINE, 100, "").next());
    }

    @Test
    void contentLengthFramesWithOtherHeadersAnyCaseAndBlankLinesBetween() throws IOException {
        String body = "{\"a\":\n1}";
        String text = "Content-Length: " + body.length() + "\r\n\r\n" + body
                + "\r\n\r\ncontent-length:3\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n[2]"
                + "Content-Length: 0\n\n";
        for (int chunk : new int[] {Integer.MAX_VALUE, 1, 5}) {
            assertEquals(List.of(body, "[2]", ""),
                    all(input(Framing.CONTENT_LENGTH, 100, text.getBytes(StandardCharsets.UTF_8), chunk)));
        }
    }

    @Test
    void anOversizeBodyIsSkippedByItsDeclaredLength() throws IOException {
        FrameInput in = input(Framing.CONTENT_LENGTH, 10,
                "Content-Length: 20\r\n\r\n" + "z".repeat(20) + "Content-Length: 2\r\n\r\nok");
        FrameInput.TooLarge e = assertThrows(FrameInput.TooLarge.class, in::next);
        assertEquals(20, e.size());
        assertEquals("frame of 20 bytes (declared by Content-Length) exceeds the limit of 10 bytes (maxFrameBytes)",
                e.getMessage());
        assertTrue(in.next());
        assertEquals("ok", frame(in));
        assertFalse(in.next());
    }

    @Test
    void malformedHeaderBlocksSayWhatIsWrong() {
        assertEquals("malformed header line 'garbage': expected 'Name: value', e.g. 'Content-Length: 42'",
                assertThrows(FrameInput.Malformed.class,
                        () -> input(Framing.CONTENT_LENGTH, 100, "garbage\r\n\r\n").next()).getMessage());
        assertEquals("Content-Length is 'ten', but must be a non-negative integer",
                assertThrows(FrameInput.Malformed.class,
                        () -> input(Framing.CONTENT_LENGTH, 100, "Content-Length: ten\r\n\r\n").next()).getMessage());
        assertEquals("header block without a Content-Length header",
                assertThrows(FrameInput.Malformed.class,
                        () -> input(Framing.CONTENT_LENGTH, 100, "X-Other: 1\r\n\r\n{}").next()).getMessage());
        assertEquals("two different Content-Length headers in one header block: 2 and 3",
                assertThrows(FrameInput.Malformed.class, () -> input(Framing.CONTENT_LENGTH, 100,
                        "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}").next()).getMessage());
        assertTrue(assertThrows(FrameInput.Malformed.class, () -> input(Framing.CONTENT_LENGTH, 100,
                "X: " + "h".repeat(FrameInput.MAX_HEADER_BYTES)).next()).getMessage()
                .startsWith("header block is longer than 8192 bytes"));
    }

    @Test
    void endOfInputInsideAHeaderBlockOrBodyIsATruncation() throws IOException {
        assertThrows(FrameInput.Truncated.class, () -> input(Framing.CONTENT_LENGTH, 100, "Content-Length: 5\r\n").next());
        assertEquals("stdin ended after 2 of 5 bytes of a frame body (Content-Length: 5)",
                assertThrows(FrameInput.Truncated.class,
                        () -> input(Framing.CONTENT_LENGTH, 100, "Content-Length: 5\r\n\r\nab").next()).getMessage());
        assertFalse(input(Framing.CONTENT_LENGTH, 100, "\r\n\r\n").next());
    }
}
