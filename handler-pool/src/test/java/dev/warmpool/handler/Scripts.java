package dev.warmpool.handler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Shell scripts that stand in for the CLI where the real one is not the point: exiting, hanging, writing a lot. */
final class Scripts {
    private Scripts() {
    }

    /** Writes an executable {@code #!/bin/sh} script {@code dir/name} with {@code body}. */
    static Path script(Path dir, String name, String body) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    /** A result line as {@code claude -p --output-format json} prints it. */
    static String resultJson(String text) {
        return "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false,\"num_turns\":1,\"duration_ms\":5,"
                + "\"result\":\"" + text + "\",\"total_cost_usd\":0.001}";
    }
}
