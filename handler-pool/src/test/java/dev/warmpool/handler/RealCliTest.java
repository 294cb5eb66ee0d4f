package dev.warmpool.handler;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The base of the tests against the real {@code claude} CLI: each test gets a {@link RealCli} (the
 * fake API, a project, a home) in a temporary directory, is skipped without the CLI, and ends with
 * the pool shut down and no process left behind.
 */
abstract class RealCliTest {
    @TempDir
    Path dir;
    RealCli cli;

    @BeforeEach
    void startFakeApi() throws Exception {
        cli = RealCli.in(dir);
    }

    @AfterEach
    void shutDownAndCheckNoProcessLeft() throws Exception {
        if (cli != null) {
            cli.close();
        }
    }
}
