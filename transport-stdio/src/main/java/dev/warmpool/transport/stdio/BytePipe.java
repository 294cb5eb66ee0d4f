package dev.warmpool.transport.stdio;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A one-way in-memory pipe with a fixed capacity, behaving like an operating-system pipe: a write
 * blocks while the pipe is full, a read blocks while it is empty, closing the write end gives the
 * reader end-of-file once the bytes are read, and closing the read end makes writes, also a write
 * blocked at that moment, fail with "Broken pipe". Used by {@link InMemoryChannel}.
 *
 * <p>Thread-safe; a waiting thread waits on a condition, which releases the pipe's lock.
 */
final class BytePipe {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final byte[] ring;
    private int head;
    private int size;
    private boolean writeClosed;
    private boolean readClosed;
    private final InputStream source = new Source();
    private final OutputStream sink = new Sink();

    /** @param capacity how many bytes the pipe holds before a write blocks */
    BytePipe(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("pipe capacity is " + capacity + ", but must be positive");
        }
        ring = new byte[capacity];
    }

    /** @return the read end */
    InputStream source() {
        return source;
    }

    /** @return the write end */
    OutputStream sink() {
        return sink;
    }

    /** Closes the read end: writes fail from now on, also one blocked now. */
    void closeSource() {
        lock.lock();
        try {
            readClosed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Closes the write end: the reader gets end-of-file once it has read what is left. */
    void closeSink() {
        lock.lock();
        try {
            writeClosed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private final class Source extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            lock.lock();
            try {
                while (size == 0) {
                    if (writeClosed || readClosed) {
                        return -1;
                    }
                    awaitChange();
                }
                int n = Math.min(len, size);
                for (int i = 0; i < n; i++) {
                    b[off + i] = ring[(head + i) % ring.length];
                }
                head = (head + n) % ring.length;
                size -= n;
                changed.signalAll();
                return n;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public int available() {
            lock.lock();
            try {
                return size;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() {
            closeSource();
        }
    }

    private final class Sink extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            lock.lock();
            try {
                int done = 0;
                while (done < len) {
                    if (readClosed) {
                        throw new IOException("Broken pipe");
                    }
                    if (writeClosed) {
                        throw new IOException("Stream closed");
                    }
                    if (size == ring.length) {
                        awaitChange();
                        continue;
                    }
                    int n = Math.min(len - done, ring.length - size);
                    int tail = head + size;
                    for (int i = 0; i < n; i++) {
                        ring[(tail + i) % ring.length] = b[off + done + i];
                    }
                    size += n;
                    done += n;
                    changed.signalAll();
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() {
            closeSink();
        }
    }

    @SuppressWarnings("WaitNotInLoop") // every caller waits in a loop over its own condition
    private void awaitChange() throws InterruptedIOException {
        try {
            changed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting on an in-memory pipe");
        }
    }
}
