package dev.warmpool.benchmarks;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * The JVM worker of the line benchmarks: reads lines from stdin and writes each one back, like
 * {@code cat} but a line at a time. Every complete line that has arrived goes out in one unbuffered
 * write (so nothing waits for a flush); a partial line waits for its newline. Exits at end-of-file.
 */
public final class LineEchoWorker {
    private LineEchoWorker() {
    }

    /**
     * @param args ignored
     * @throws IOException if stdin or stdout fails
     */
    public static void main(String[] args) throws IOException {
        echo(new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out));
    }

    static void echo(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[1 << 16];
        int start = 0;
        int end = 0;
        while (true) {
            if (end == buf.length) {
                if (start > 0) {
                    System.arraycopy(buf, start, buf, 0, end - start);
                    end -= start;
                    start = 0;
                } else {
                    buf = Arrays.copyOf(buf, buf.length * 2);
                }
            }
            int n = in.read(buf, end, buf.length - end);
            if (n < 0) {
                break;
            }
            int scanFrom = end;
            end += n;
            int last = -1;
            for (int i = end - 1; i >= scanFrom; i--) {
                if (buf[i] == '\n') {
                    last = i;
                    break;
                }
            }
            if (last >= 0) {
                out.write(buf, start, last + 1 - start);
                start = last + 1;
                if (start == end) {
                    start = 0;
                    end = 0;
                }
            }
        }
        if (end > start) {
            out.write(buf, start, end - start);
        }
        out.flush();
    }
}
