/**
 * The worker SDK and the JSON-RPC codec both ends of warmpool's protocol share. Needs only the JDK
 * and Jackson, so a worker program runs with this module and Jackson's three.
 *
 * <p>{@code requires transitive} Jackson's databind because its types are in this module's API:
 * handlers receive {@code JsonNode} parameters, the builder takes an {@code ObjectMapper}, the codec
 * reads with a {@code JsonParser}. Logging goes through {@link System.Logger}, so no logging library is
 * required. No package is opened: the module writes and reads JSON through trees and generators,
 * never by reflection on its own types.
 */
module dev.warmpool.worker {
    requires transitive com.fasterxml.jackson.databind;
    // JSpecify's @NullMarked and @Nullable: read by compilers and tools, never at run time (static), so a worker
    // still runs with this module and Jackson alone; transitive because @Nullable is part of exported signatures
    requires static transitive org.jspecify;

    exports dev.warmpool.worker;
    exports dev.warmpool.worker.wire;
}
