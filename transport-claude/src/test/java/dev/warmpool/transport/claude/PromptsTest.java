package dev.warmpool.transport.claude;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromptsTest {
    private static final String DEFAULT = ClaudeSettings.DEFAULT_TEMPLATE;

    /** The shape an application may pass instead of a map. */
    record Plan(String handler_name, Map<String, Object> event) {
    }

    private static Map<String, Object> plan(String handler, Object event) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("handler_name", handler);
        m.put("event", event);
        return m;
    }

    @Test
    void theDefaultIsTheHandlerAsASlashCommandFollowedByTheEventAsCompactJson() throws Exception {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", "push");
        event.put("files", List.of("a.txt", "b c.txt"));
        event.put("note", "two\nlines");

        assertEquals("/triage {\"type\":\"push\",\"files\":[\"a.txt\",\"b c.txt\"],\"note\":\"two\\nlines\"}",
                Prompts.render("execute_handler", plan("triage", event), DEFAULT));
    }

    @Test
    void aRecordOrAJsonStringWorkAsParamsToo() throws Exception {
        assertEquals("/review {\"pr\":7}", Prompts.render("execute_handler", new Plan("review", Map.of("pr", 7)), DEFAULT));
        assertEquals("/review {\"pr\":7}", Prompts.render("execute_handler",
                StreamJson.MAPPER.readTree("{\"handler_name\":\"review\",\"event\":{\"pr\":7}}"), DEFAULT));
    }

    @Test
    void aMissingEventIsAnEmptyObjectAndAnyJsonValueIsAllowed() throws Exception {
        assertEquals("/tick {}", Prompts.render("execute_handler", Map.of("handler_name", "tick"), DEFAULT));
        assertEquals("/tick [1,2]", Prompts.render("execute_handler", plan("tick", List.of(1, 2)), DEFAULT));
        assertEquals("/tick null", Prompts.render("execute_handler", plan("tick", null), DEFAULT));
    }

    @Test
    void theTemplateReplacesBothPlaceholdersEverywhereAndKeepsOtherBraces() throws Exception {
        String template = "Run {handler} on {event}. {other} {handler}!";

        assertEquals("Run fix on {\"a\":1}. {other} fix!",
                Prompts.render("execute_handler", plan("fix", Map.of("a", 1)), template));
        assertEquals("{handler", Prompts.fill("{handler", "x", "y"));
    }

    @Test
    void namespacedCommandNamesAreAllowed() throws Exception {
        assertEquals("/frontend:review-pr.v2 {}",
                Prompts.render("execute_handler", plan("frontend:review-pr.v2", Map.of()), DEFAULT));
    }

    @Test
    void aHandlerNameThatIsNotOneCommandWordIsRejected() {
        for (Object name : new Object[] {"", "two words", "-flag", "../x", "a\nb", 42, null}) {
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("handler_name", name);
            Prompts.Rejected e = assertThrows(Prompts.Rejected.class,
                    () -> Prompts.render("execute_handler", params, DEFAULT));
            assertEquals(ClaudeTransport.INVALID_PARAMS, e.code());
            assertTrue(e.getMessage().contains("handler_name"), e.getMessage());
        }
    }

    @Test
    void executeHandlerNeedsAnObject() {
        for (Object params : new Object[] {null, "text", List.of(1)}) {
            Prompts.Rejected e = assertThrows(Prompts.Rejected.class,
                    () -> Prompts.render("execute_handler", params, DEFAULT));
            assertEquals(ClaudeTransport.INVALID_PARAMS, e.code());
        }
    }

    @Test
    void aPromptIsSentAsItIs() throws Exception {
        assertEquals("say hi", Prompts.render("prompt", "say hi", DEFAULT));
        assertEquals("say {hi}", Prompts.render("prompt", Map.of("prompt", "say {hi}"), DEFAULT));
        assertEquals("say hi", Prompts.render("prompt", StreamJson.MAPPER.readTree("\"say hi\""), DEFAULT));
    }

    @Test
    void aBlankOrMissingPromptIsRejected() {
        for (Object params : new Object[] {null, " ", Map.of("text", "x"), Map.of("prompt", 3), List.of("x")}) {
            Prompts.Rejected e = assertThrows(Prompts.Rejected.class, () -> Prompts.render("prompt", params, DEFAULT));
            assertEquals(ClaudeTransport.INVALID_PARAMS, e.code(), String.valueOf(params));
        }
    }

    @Test
    void anotherMethodIsNotFound() {
        Prompts.Rejected e = assertThrows(Prompts.Rejected.class, () -> Prompts.render("run", "x", DEFAULT));

        assertEquals(ClaudeTransport.METHOD_NOT_FOUND, e.code());
        assertTrue(e.getMessage().contains("'run'") && e.getMessage().contains("execute_handler"), e.getMessage());
    }
}
