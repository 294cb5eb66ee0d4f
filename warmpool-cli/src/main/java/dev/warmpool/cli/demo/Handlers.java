package dev.warmpool.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The demo's event handlers, by name. A handler turns an event (a JSON object with fields such as
 * {@code type}, {@code actor}, {@code repo}, {@code title}, {@code text}) into one line of output,
 * and may write notes to its {@code stderr}; it fails with {@link HandlerFailure} when the event
 * lacks what it needs. Pure functions of the event: the same event gives the same output in a cold
 * process and in a warm one. Thread-safe.
 */
public final class Handlers {
    /** A handler could not handle its event; the answer is {@code success: false} with this message on stderr. */
    public static final class HandlerFailure extends Exception {
        private static final long serialVersionUID = 1L;

        HandlerFailure(String message) {
            super(message);
        }
    }

    /** One handler: the event and a place for its notes in, one line of output back. */
    @FunctionalInterface
    interface Handler {
        String handle(JsonNode event, StringBuilder stderr) throws HandlerFailure;
    }

    private record Entry(String description, Handler handler) {
    }

    private static final Map<String, Entry> HANDLERS = new TreeMap<>(Map.of(
            "say-something-nice", new Entry("composes a kind sentence for the person behind the event",
                    Handlers::saySomethingNice),
            "summarize-event", new Entry("one line: what happened, where, by whom", Handlers::summarize),
            "count-words", new Entry("counts the words in the event's title and text", Handlers::countWords),
            "echo-event", new Entry("answers the event itself, as compact JSON", (e, err) -> e.toString())));

    private Handlers() {
    }

    /** {@return the handlers' names, sorted} */
    public static List<String> names() {
        return List.copyOf(HANDLERS.keySet());
    }

    /**
     * Describes a demo handler in one line, for the command's list of handlers.
     *
     * @param name a handler's name
     * @return what it does, if there is such a handler
     */
    public static Optional<String> description(String name) {
        return Optional.ofNullable(HANDLERS.get(name)).map(Entry::description);
    }

    /**
     * Runs a handler.
     *
     * @param name the handler
     * @param event the event, a JSON object
     * @param stderr receives the handler's notes
     * @return the handler's output
     * @throws HandlerFailure if the event lacks what the handler needs
     * @throws IllegalArgumentException if there is no handler of that name
     */
    public static String run(String name, JsonNode event, StringBuilder stderr) throws HandlerFailure {
        Entry e = HANDLERS.get(name);
        if (e == null) {
            throw new IllegalArgumentException("no handler named '" + name + "'; the handlers are "
                    + String.join(", ", names()));
        }
        return e.handler().handle(event, stderr);
    }

    // ---------------------------------------------------------------- the handlers

    private static String saySomethingNice(JsonNode event, StringBuilder stderr) {
        String who = capitalize(text(event, "actor").or(() -> text(event, "user")).orElse("friend"));
        String type = text(event, "type").orElse("event");
        String repo = text(event, "repo").orElse("the project");
        String title = text(event, "title").map(t -> "\"" + t + "\"").orElse(null);
        String tag = text(event, "tag").orElse("the new version");
        List<String> choices = switch (type) {
            case "pull_request.merged" -> List.of(
                    "Thank you, " + who + ": " + or(title, "your change") + " is merged, and " + repo
                            + " is better for it.",
                    "Lovely work, " + who + "! " + or(title, "Your pull request") + " made it into " + repo + ".");
            case "pull_request.opened" -> List.of(
                    "Thanks for the pull request, " + who + ": " + or(title, "it") + " is a thoughtful change.",
                    who + ", " + or(title, "your pull request") + " is a gift to everyone who uses " + repo + ".");
            case "issue.opened" -> List.of(
                    "Thank you for speaking up, " + who + ": " + or(title, "your report") + " will make " + repo
                            + " better for everyone.",
                    "Good catch, " + who + "! A clear report like " + or(title, "this one") + " saves hours.");
            case "comment.created" -> List.of(
                    who + ", your comment made the conversation clearer. Thank you for taking the time.",
                    "Thanks, " + who + ": a kind, careful comment like yours keeps " + repo + " a good place.");
            case "release.published" -> List.of(
                    "Congratulations, " + who + "! " + repo + " " + tag + " is out in the world.",
                    "Well done, " + who + ": shipping " + repo + " " + tag + " is a big deal.");
            case "build.passed", "deploy.succeeded" -> List.of(
                    "Nice work, " + who + ": everything is green.",
                    "All green, " + who + ". Enjoy the moment.");
            case "user.joined" -> List.of(
                    "Welcome, " + who + "! We are glad you are here.",
                    "Hello and welcome to " + repo + ", " + who + ".");
            default -> List.of("Thank you, " + who + ", for your " + type.replace('.', ' ') + ".");
        };
        String sentence = choices.get(Math.floorMod(event.toString().hashCode(), choices.size()));
        stderr.append("say-something-nice: composed ").append(words(sentence)).append(" words for ").append(who)
                .append('\n');
        return sentence;
    }

    private static String summarize(JsonNode event, StringBuilder stderr) throws HandlerFailure {
        String type = text(event, "type").orElseThrow(() -> new HandlerFailure(
                "summarize-event: the event has no \"type\"; got " + event));
        StringBuilder s = new StringBuilder(type);
        text(event, "repo").ifPresent(r -> s.append(" in ").append(r));
        text(event, "actor").or(() -> text(event, "user")).ifPresent(a -> s.append(" by ").append(a));
        text(event, "title").ifPresent(t -> s.append(": \"").append(t).append('\"'));
        text(event, "tag").ifPresent(t -> s.append(" (").append(t).append(')'));
        int textWords = text(event, "text").map(Handlers::words).orElse(0);
        if (textWords > 0) {
            s.append(" [").append(textWords).append(" words of text]");
        }
        stderr.append("summarize-event: ").append(event.size()).append(" fields\n");
        return s.toString();
    }

    private static String countWords(JsonNode event, StringBuilder stderr) throws HandlerFailure {
        List<String> fields = new ArrayList<>();
        int total = 0;
        int chars = 0;
        for (String f : List.of("title", "text", "body")) {
            Optional<String> t = text(event, f);
            if (t.isPresent()) {
                fields.add(f);
                total += words(t.get());
                chars += t.get().length();
            }
        }
        if (fields.isEmpty()) {
            throw new HandlerFailure("count-words: the event has no title, text or body to count");
        }
        Map<String, Long> top = text(event, "text").or(() -> text(event, "title")).stream()
                .flatMap(t -> Arrays.stream(t.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}']+")))
                .filter(w -> w.length() > 3)
                .collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
        String most = top.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(1)
                .map(en -> "; most used: \"" + en.getKey() + "\" (" + en.getValue() + ")")
                .findFirst().orElse("");
        stderr.append("count-words: counted ").append(String.join(", ", fields)).append('\n');
        return total + " words, " + chars + " characters in " + String.join(" and ", fields) + most;
    }

    // ---------------------------------------------------------------- helpers

    private static Optional<String> text(JsonNode event, String field) {
        JsonNode n = event.get(field);
        return n != null && n.isTextual() && !n.textValue().isBlank() ? Optional.of(n.textValue().strip()) : Optional.empty();
    }

    private static String or(String value, String fallback) {
        return value != null ? value : fallback;
    }

    private static int words(String s) {
        String t = s.strip();
        return t.isEmpty() ? 0 : t.split("\\s+").length;
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
    }
}
