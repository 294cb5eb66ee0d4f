package dev.warmpool.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HandlerEventTest {
    record Push(int id, String repo) {
    }

    @Test
    void thePromptIsTheSlashCommandAndTheEventAsCompactJson() {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("id", 7);
        event.put("tags", List.of("a", "b"));
        assertEquals("/triage {\"id\":7,\"tags\":[\"a\",\"b\"]}", HandlerEvent.of("triage", event).prompt());
        assertEquals("/frontend:review {\"id\":1,\"repo\":\"x\"}", HandlerEvent.of("frontend:review", new Push(1, "x")).prompt());
    }

    @Test
    void noEventIsAnEmptyObject() {
        assertEquals("/triage {}", HandlerEvent.of("triage", null).prompt());
        assertEquals(Map.of("handler_name", "triage", "event", HandlerEvent.JSON.createObjectNode()),
                HandlerEvent.of("triage", null).params());
    }

    @Test
    void aHandlerNameThatIsNotACommandNameIsRefusedWithTheName() {
        for (String bad : List.of("", "two words", "/triage", "-x", "a;b")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HandlerEvent.of(bad, null));
            assertTrue(e.getMessage().startsWith("handler name '" + bad + "' is not the name of a command"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> HandlerEvent.of(null, null));
    }

    @Test
    void anEventThatCannotBeWrittenAsJsonIsRefusedWithItsType() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HandlerEvent.of("triage", new Object()));
        assertTrue(e.getMessage().startsWith("the event for handler 'triage' (a java.lang.Object) cannot be written as JSON"),
                e.getMessage());
    }
}
