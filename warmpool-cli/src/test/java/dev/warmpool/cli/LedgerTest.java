package dev.warmpool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every request of {@code run} is answered exactly once, whoever answers first. */
class LedgerTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Answers answers = new Answers(out, true);
    private final Ledger ledger = new Ledger(Json.mapper(), answers);

    private List<String> written() {
        answers.close();
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void theFirstAnswerWinsAndTheOthersAreDropped() throws InterruptedException {
        Ledger.Ticket a = ledger.open(LongNode.valueOf(1)).orElseThrow();
        Ledger.Ticket b = ledger.open(TextNode.valueOf("b")).orElseThrow();

        assertTrue(a.fail(Failure.timeout("too slow")));
        assertFalse(a.succeed(Map.of("late", true)), "the pool's late answer after the command's own");
        assertTrue(b.succeed(List.of(1)));
        assertFalse(b.fail(Failure.rejected("stopping")));

        assertTrue(ledger.awaitAllAnswered(0));
        assertEquals(List.of("{\"id\":1,\"error\":{\"kind\":\"timeout\",\"message\":\"too slow\"}}",
                "{\"id\":\"b\",\"result\":[1]}"), written());
        assertEquals(2, ledger.requests());
        assertEquals(1, ledger.succeeded());
        assertEquals(1, ledger.errors(Failure.Kind.TIMEOUT));
        assertEquals(0, ledger.errors(Failure.Kind.REJECTED));
    }

    @Test
    void aClosedLedgerOpensNoTicketAndAStopAnswersTheOpenOnes() throws InterruptedException {
        Ledger.Ticket running = ledger.open(LongNode.valueOf(1)).orElseThrow();
        ledger.close();

        assertTrue(ledger.open(LongNode.valueOf(2)).isEmpty());
        assertFalse(ledger.awaitAllAnswered(1_000_000), "one is still open");
        ledger.failAllUnanswered(Failure.rejected("stopped"));

        assertTrue(running.answered());
        assertTrue(ledger.awaitAllAnswered(0));
        assertEquals(List.of("{\"id\":1,\"error\":{\"kind\":\"rejected\",\"message\":\"stopped\"}}"), written());
    }

    @Test
    void aResultJsonCannotHoldIsStillOneAnswer() throws InterruptedException {
        Ledger.Ticket t = ledger.open(LongNode.valueOf(7)).orElseThrow();

        assertTrue(t.succeed(new Object()));

        assertTrue(ledger.awaitAllAnswered(0));
        String line = written().get(0);
        assertTrue(line.startsWith("{\"id\":7,\"error\":{\"kind\":\"internal\",\"message\":\"unexpected failure ("),
                "the kind says it, the message starts with words: " + line);
        assertEquals(0, ledger.succeeded());
    }
}
