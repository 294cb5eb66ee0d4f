package dev.warmpool.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warmpool.worker.wire.JsonRpcEncoder;
import dev.warmpool.worker.wire.JsonRpcMessage;
import org.jspecify.annotations.Nullable;

/**
 * What one thread of a {@link Session} needs to read and answer requests without allocating: its
 * own encoder and decoded-message holder, and the request it is running, where a
 * {@code $/cancelRequest} read by another thread finds it. Each reading thread owns one; with an
 * executor, each running task borrows one.
 *
 * <p>Used by one thread at a time; {@link #current} is read by others.
 */
final class Lane {
    final JsonRpcEncoder encoder;
    final JsonRpcMessage message = new JsonRpcMessage();
    /** The request this lane is running, or {@code null}. */
    volatile @Nullable RequestState current;

    Lane(ObjectMapper mapper) {
        encoder = new JsonRpcEncoder(mapper);
    }
}
