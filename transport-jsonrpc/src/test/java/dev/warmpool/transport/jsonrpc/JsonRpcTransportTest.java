package dev.warmpool.transport.jsonrpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warmpool.api.spi.WorkerSpec;
import dev.warmpool.api.WorkerStartException;
import dev.warmpool.api.spi.TransportProvider;
import dev.warmpool.transport.stdio.Framing;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** Settings, discovery and the start failures that need no worker. */
class JsonRpcTransportTest {
    @Test
    void providerIsFoundByServiceLoaderUnderItsName() {
        List<TransportProvider> found = ServiceLoader.load(TransportProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("jsonrpc"))
                .toList();
        assertEquals(1, found.size(), found.toString());
        TransportProvider p = found.get(0);
        assertInstanceOf(JsonRpcTransportProvider.class, p);
        assertTrue(p.isAvailable());
        assertEquals(5, p.priority());
        assertEquals("jsonrpc", p.create(Map.of()).name());
    }

    @Test
    void framingSetting() {
        assertEquals(Framing.NEWLINE, JsonRpcTransport.create().framing());
        assertEquals(Framing.CONTENT_LENGTH, JsonRpcTransport.fromSettings(Map.of("framing", "content-length")).framing());
        assertEquals(Framing.NEWLINE, JsonRpcTransport.fromSettings(Map.of("framing", " Newline ")).framing());
    }

    @Test
    void badSettingsAreRejectedNamingNameAndValue() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> new JsonRpcTransportProvider().create(Map.of("framming", "newline")));
        assertEquals("unknown jsonrpc transport setting 'framming' (value 'newline'); known settings: framing, processGroup",
                unknown.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> JsonRpcTransport.fromSettings(Map.of("framing", "xml")));
        assertEquals("jsonrpc transport setting framing is 'xml', but must be one of: newline, content-length", bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> JsonRpcTransport.fromSettings(Map.of("processGroup", "maybe")));
    }

    @Test
    void builderOptionsAreSetOnce() {
        JsonRpcTransport.Builder b = JsonRpcTransport.builder().framing(Framing.NEWLINE);
        assertEquals("framing was already set to newline",
                assertThrows(IllegalStateException.class, () -> b.framing(Framing.CONTENT_LENGTH)).getMessage());
    }

    @Test
    void programNotFoundIsAStartFailure() {
        WorkerSpec spec = new WorkerSpec("w-9", List.of("no-such-program-warmpool"), Map.of("PATH", "/usr/bin:/bin"),
                Optional.empty(), Duration.ofSeconds(5), 1024, false, 10, Map.of());
        WorkerStartException e = assertThrows(WorkerStartException.class, () -> JsonRpcTransport.create().start(spec));
        assertTrue(e.getMessage().contains("no-such-program-warmpool"), e.getMessage());
    }

    @Test
    void badFramingInTheSpecIsAStartFailure() {
        WorkerSpec spec = new WorkerSpec("w-9", List.of("true"), Map.of(), Optional.empty(), Duration.ofSeconds(5), 1024,
                false, 10, Map.of("framing", "xml"));
        WorkerStartException e = assertThrows(WorkerStartException.class, () -> JsonRpcTransport.create().start(spec));
        assertTrue(e.getMessage().startsWith("cannot start worker w-9: jsonrpc transport setting framing is 'xml'"),
                e.getMessage());
    }

    @Test
    void theWorkerIsToldTheFramingAndTheLimitAndTheSpecsFramingWins() {
        WorkerSpec spec = new WorkerSpec("w-2", List.of("sh", "-c",
                "echo \"framing=$WARMPOOL_FRAMING max=$WARMPOOL_MAX_FRAME_BYTES\" >&2; exit 3"),
                Map.of("PATH", "/usr/bin:/bin"), Optional.empty(), Duration.ofSeconds(10), 1024, false, 10,
                Map.of("framing", "content-length"));
        WorkerStartException e = assertThrows(WorkerStartException.class, () -> JsonRpcTransport.create().start(spec));
        assertTrue(e.getMessage().startsWith("worker w-2 exited with code 3 before it became ready"), e.getMessage());
        assertEquals(List.of("framing=content-length max=1024"), e.stderrTail());
    }
}
