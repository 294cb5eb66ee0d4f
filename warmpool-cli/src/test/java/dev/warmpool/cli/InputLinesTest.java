package dev.warmpool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How {@code run} splits and decodes its input. */
class InputLinesTest {
    private static List<InputLines.Line> read(byte[] bytes, int limit) throws IOException {
        List<InputLines.Line> lines = new ArrayList<>();
        try (InputLines in = new InputLines(new ByteArrayInputStream(bytes), limit, "the test's limit")) {
            Optional<InputLines.Line> next;
            while ((next = in.next()).isPresent()) {
                lines.add(next.get());
            }
        }
        return lines;
    }

    private static String text(InputLines.Line line) {
        return assertInstanceOf(InputLines.Text.class, line).text();
    }

    @Test
    void linesEndAtNewlineWithOrWithoutCarriageReturnAndTheLastNeedsNone() throws IOException {
        List<InputLines.Line> lines = read("a\r\nb\n\nlast".getBytes(StandardCharsets.UTF_8), 100);

        assertEquals(List.of("a", "b", "", "last"), lines.stream().map(InputLinesTest::text).toList());
        assertEquals(List.of(1L, 2L, 3L, 4L), lines.stream().map(InputLines.Line::number).toList());
        assertEquals(List.of(), read(new byte[0], 100));
    }

    @Test
    void invalidUtf8SaysWhichBytesAndWhere() throws IOException {
        byte[] bytes = {'o', 'k', '\n', 'x', 'y', (byte) 0xC3, '(', '\n', (byte) 0xED, (byte) 0xB2, (byte) 0x80, '\n', 'z'};

        List<InputLines.Line> lines = read(bytes, 100);

        assertEquals("ok", text(lines.get(0)));
        String truncated = assertInstanceOf(InputLines.Invalid.class, lines.get(1)).message();
        assertEquals("line 2 is not valid UTF-8: the byte 0xC3 at byte offset 2 forms no character (the input must "
                + "be UTF-8; nothing was replaced or sent)", truncated);
        String surrogate = assertInstanceOf(InputLines.Invalid.class, lines.get(2)).message();
        assertTrue(surrogate.startsWith("line 3 is not valid UTF-8: the byte"), "an encoded surrogate is not UTF-8: "
                + surrogate);
        assertEquals("z", text(lines.get(3)), "the line after a bad one is read");
    }

    @Test
    void aLineOverTheLimitIsSkippedNotKeptAndTheNextIsRead() throws IOException {
        byte[] bytes = ("1234\n" + "x".repeat(100_000) + "\n12345\r\n123456\nend").getBytes(StandardCharsets.UTF_8);

        List<InputLines.Line> lines = read(bytes, 5);

        assertEquals("1234", text(lines.get(0)));
        assertEquals("line 2 is 100,000 bytes long, over the frame limit of 5 bytes (the test's limit); it was "
                + "skipped unread", assertInstanceOf(InputLines.Invalid.class, lines.get(1)).message());
        assertEquals("12345", text(lines.get(2)), "exactly the limit, its \\r not counted");
        assertTrue(assertInstanceOf(InputLines.Invalid.class, lines.get(3)).message().startsWith("line 4 is 6 bytes long"));
        assertEquals("end", text(lines.get(4)));
    }
}
