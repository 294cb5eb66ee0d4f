package dev.warmpool.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExceptionMessagesTest {

    @Test
    void timeoutSaysWhichDeadlineAndHowLong() {
        RequestTimeoutException e = new RequestTimeoutException(RequestTimeoutException.Phase.RUN,
                Duration.ofSeconds(2), Duration.ofMillis(15), Duration.ofMillis(2003));
        assertEquals("request timed out: the run deadline of 2 s passed (waited 15 ms in the queue, ran 2.003 s)",
                e.getMessage());
    }

    @Test
    void crashCarriesSignalAndStderr() {
        WorkerCrashedException e = new WorkerCrashedException("w-2", 137, "exited while running request 5",
                List.of("boom", "bye"));
        assertEquals(OptionalInt.of(9), e.signal());
        assertEquals("worker w-2 exited while running request 5 (killed by signal 9); last stderr lines:\n  boom\n  bye",
                e.getMessage());
        WorkerCrashedException zero = new WorkerCrashedException("w-1", 0, "exited while running request 1", List.of());
        assertEquals(OptionalInt.empty(), zero.signal());
        assertEquals(OptionalInt.of(0), zero.exitStatus());
        assertEquals(OptionalInt.empty(),
                new WorkerCrashedException("w-3", -1, "closed its stdout", List.of()).exitStatus());
        assertEquals("worker w-1 exited while running request 1 (exit code 0); its stderr was empty", zero.getMessage());
    }

    @Test
    void workerErrorKindsFollowTheJsonRpcRanges() {
        assertEquals(WorkerErrorException.Kind.PARSE_ERROR, WorkerErrorException.Kind.of(-32700));
        assertEquals(WorkerErrorException.Kind.INVALID_REQUEST, WorkerErrorException.Kind.of(-32600));
        assertEquals(WorkerErrorException.Kind.METHOD_NOT_FOUND, WorkerErrorException.Kind.of(-32601));
        assertEquals(WorkerErrorException.Kind.INVALID_PARAMS, WorkerErrorException.Kind.of(-32602));
        assertEquals(WorkerErrorException.Kind.INTERNAL_ERROR, WorkerErrorException.Kind.of(-32603));
        assertEquals(WorkerErrorException.Kind.SERVER_ERROR, WorkerErrorException.Kind.of(-32000));
        assertEquals(WorkerErrorException.Kind.SERVER_ERROR, WorkerErrorException.Kind.of(-32099));
        assertEquals(WorkerErrorException.Kind.APPLICATION, WorkerErrorException.Kind.of(-32100));
        assertEquals(WorkerErrorException.Kind.APPLICATION, WorkerErrorException.Kind.of(42));
        assertEquals(WorkerErrorException.Kind.REQUEST_CANCELLED, WorkerErrorException.Kind.of(-32800));
    }

    @Test
    void eachReservedCodeIsDefinedOnceAndClassifiesBackToItsKind() {
        for (WorkerErrorException.Kind k : WorkerErrorException.Kind.values()) {
            k.code().ifPresent(code -> assertEquals(k, WorkerErrorException.Kind.of(code), k.name()));
        }
        assertEquals(OptionalInt.of(-32601), WorkerErrorException.Kind.METHOD_NOT_FOUND.code());
        assertEquals(OptionalInt.empty(), WorkerErrorException.Kind.SERVER_ERROR.code(), "a range has no one code");
        assertEquals(OptionalInt.empty(), WorkerErrorException.Kind.APPLICATION.code());
    }

    @Test
    void theFamilyIsSealedAndEveryCaseIsFinal() {
        Class<?>[] permitted = WorkerPoolException.class.getPermittedSubclasses();
        assertEquals(Set.of(PoolRejectedException.class, RequestTimeoutException.class, WorkerCrashedException.class,
                ProtocolException.class, WorkerErrorException.class, WorkerStartException.class,
                ProviderNotFoundException.class), Set.of(permitted));
        for (Class<?> c : permitted) {
            assertTrue(Modifier.isFinal(c.getModifiers()), c.getName());
        }
    }

    @Test
    void providerNotFoundSuggestsTheNearestNameForATypo() {
        ProviderNotFoundException e = new ProviderNotFoundException("transport", "jsonrcp",
                List.of("jsonrpc", "line", "oneshot"), "Add the module that provides it.");
        assertEquals("no transport named 'jsonrcp'; did you mean 'jsonrpc'? (found jsonrpc, line, oneshot)",
                e.getMessage());
        assertEquals(java.util.Optional.of("jsonrpc"), e.suggestion());
    }

    @Test
    void providerNotFoundListsWhatWasFound() {
        ProviderNotFoundException e = new ProviderNotFoundException("transport", "grpc", List.of("jsonrpc", "line"),
                "Add the module that provides it.");
        assertEquals("no transport named 'grpc' was found; found jsonrpc, line. Add the module that provides it.",
                e.getMessage());
        assertEquals(java.util.Optional.empty(), e.suggestion());
    }
}
