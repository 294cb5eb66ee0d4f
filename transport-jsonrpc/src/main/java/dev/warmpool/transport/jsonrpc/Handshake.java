package dev.warmpool.transport.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warmpool.api.ProtocolException;
import dev.warmpool.api.WorkerErrorException;
import dev.warmpool.worker.wire.JsonRpcProtocol;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;

/**
 * The {@value JsonRpcProtocol#INITIALIZE} handshake, the pool's side: what the worker's answer must
 * say (protocol version {@value JsonRpcProtocol#PROTOCOL_VERSION}) and what it tells about the
 * worker ({@link Peer}). The request itself is written by the shared codec
 * ({@link dev.warmpool.worker.wire.JsonRpcEncoder#initialize}).
 *
 * <p>Thread-safe (stateless).
 */
final class Handshake {
    /**
     * What the worker said about itself.
     *
     * @param cancel whether it can be asked to cancel ({@value JsonRpcProtocol#CANCEL_REQUEST})
     * @param ping whether it answers {@value JsonRpcProtocol#PING}
     * @param name its name, e.g. {@code "echo"}; empty if it gave none
     */
    record Peer(boolean cancel, boolean ping, String name) {
        /** Until the handshake is done: assume the protocol's capabilities. */
        static final Peer ASSUMED = new Peer(true, true, "");
    }

    private Handshake() {
    }

    /**
     * @param workerId the worker's id, for messages
     * @param answer completes with the handshake's result, or fails as the request failed
     * @return completes with the peer; fails with a {@link dev.warmpool.api.WorkerPoolException}
     *     whose message starts with "worker ID " when the answer is not one this transport accepts,
     *     or with what {@code answer} failed with
     */
    static CompletableFuture<Peer> check(String workerId, CompletableFuture<@Nullable JsonNode> answer) {
        return answer.handle((result, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure;
                if (cause instanceof WorkerErrorException err) {
                    throw new ProtocolException("worker " + workerId + " answered " + JsonRpcProtocol.INITIALIZE
                            + " with error " + err.code() + " (is it a warmpool JSON-RPC worker?): " + err.getMessage(), err);
                }
                throw failure instanceof CompletionException c ? c : new CompletionException(cause);
            }
            return peer(workerId, result);
        });
    }

    private static Peer peer(String workerId, @Nullable JsonNode result) {
        JsonNode version = result == null ? null : result.get("protocolVersion");
        if (result == null || version == null || !version.isIntegralNumber()) {
            throw new ProtocolException("worker " + workerId + " answered " + JsonRpcProtocol.INITIALIZE
                    + " without a numeric protocolVersion (got " + result + "); this transport speaks version "
                    + JsonRpcProtocol.PROTOCOL_VERSION, null);
        }
        if (version.asLong() != JsonRpcProtocol.PROTOCOL_VERSION) {
            throw new ProtocolException("worker " + workerId + " speaks protocol version " + version.asText()
                    + ", but this transport speaks version " + JsonRpcProtocol.PROTOCOL_VERSION, null);
        }
        JsonNode caps = result.path("capabilities");
        return new Peer(caps.path("cancel").asBoolean(false), caps.path("ping").asBoolean(false),
                result.path("name").asText(""));
    }
}
