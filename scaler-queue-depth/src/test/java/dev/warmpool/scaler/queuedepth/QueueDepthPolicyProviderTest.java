package dev.warmpool.scaler.queuedepth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warmpool.api.spi.ScalingPolicy;
import dev.warmpool.api.spi.ScalingPolicyProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class QueueDepthPolicyProviderTest {
    private final QueueDepthPolicyProvider provider = new QueueDepthPolicyProvider();

    @Test
    void isNamedQueueDepthAvailableAtDefaultPriority() {
        assertEquals("queue-depth", provider.name());
        assertEquals(5, provider.priority());
        assertTrue(provider.isAvailable());
    }

    @Test
    void createsANewPolicyEachTime() {
        ScalingPolicy first = provider.create(Map.of());
        ScalingPolicy second = provider.create(Map.of());

        assertInstanceOf(QueueDepthPolicy.class, first);
        assertNotSame(first, second);
    }

    @Test
    void passesTheSettingsOn() {
        ScalingPolicy policy = provider.create(Map.of("mode", "proportional", "max-step", "2"));

        assertEquals("queue-depth[mode=proportional, target-per-worker=1, max-step=2,"
                + " scale-down-stabilization=5 min, scale-down-when=queue-empty]", policy.toString());
    }

    @Test
    void reportsBadSettingsAsIllegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> provider.create(Map.of("nope", "1")));
    }

    @Test
    void serviceLoaderFindsItOnTheClassPath() {
        List<String> names = ServiceLoader.load(ScalingPolicyProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .map(ScalingPolicyProvider::name)
                .toList();

        assertTrue(names.contains("queue-depth"), "found " + names);
    }

    @Test
    void serviceFileNamesTheProvider() throws IOException {
        try (InputStream in = QueueDepthPolicyProvider.class.getResourceAsStream(
                "/META-INF/services/dev.warmpool.api.spi.ScalingPolicyProvider")) {
            assertEquals(QueueDepthPolicyProvider.class.getName(),
                    new String(in.readAllBytes(), StandardCharsets.UTF_8).strip());
        }
    }
}
