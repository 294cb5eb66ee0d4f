package dev.warmpool.transport.stdio;

import dev.warmpool.api.spi.Call;
import dev.warmpool.api.ProtocolException;
import java.nio.charset.StandardCharsets;

/** Turns a call's parameters into the one line the {@code line} and {@code oneshot} transports send. */
final class Lines {
    private Lines() {
    }

    /**
     * @param workerId the worker, for messages
     * @param call the call
     * @param maxFrameBytes the limit of one frame
     * @return the line's UTF-8 bytes, without the newline
     * @throws ProtocolException if the result type cannot hold a String, the parameters contain a
     *     line break, or the line exceeds the limit; nothing has been sent
     */
    static byte[] encode(String workerId, Call<?> call, int maxFrameBytes) {
        if (!call.resultType().isAssignableFrom(String.class)) {
            throw new ProtocolException("the line and oneshot transports answer each call with a String, which cannot be "
                    + "returned as " + call.resultType().getName() + "; ask for String or Object (worker " + workerId + ")");
        }
        Object params = call.params();
        String text = params == null ? "" : params instanceof String s ? s : String.valueOf(params);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                throw new ProtocolException("the params contain a line break (" + (c == '\n' ? "\\n" : "\\r") + " at index "
                        + i + "); the line transport sends each request as one line, so embedded newlines are not allowed "
                        + "(worker " + workerId + "; nothing was sent)");
            }
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > maxFrameBytes) {
            throw new ProtocolException("the request line of " + bytes.length + " bytes exceeds the limit of "
                    + maxFrameBytes + " bytes (maxFrameBytes) (worker " + workerId + "; nothing was sent)");
        }
        return bytes;
    }
}
