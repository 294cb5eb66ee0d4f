package dev.warmpool.handler.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The claude transport's test fixtures, for tests outside it: the real CLI as its tests find it
 * ({@code ClaudeCliLocator}) and the fake Messages API on loopback ({@code FakeMessagesApi}), from
 * transport-claude's test-jar.
 *
 * <p>Those classes are package-private in {@code dev.warmpool.transport.claude}, and this module
 * may not add to that package, so they are reached by reflection — which works because tests run
 * on the class path, where every class is in the one unnamed module. Were they public, these
 * methods would be plain calls.
 *
 * <p>Also: a project with the handlers the tests use.
 *
 * <p>In a package of its own, which the module {@code dev.warmpool.handler} does not have: other
 * modules' tests (the examples') find it on the class path in handler-pool's test-jar, where a class
 * in {@code dev.warmpool.handler} would be hidden behind that module.
 */
public final class ClaudeFixtures {
    private static final String PACKAGE = "dev.warmpool.transport.claude.";

    private ClaudeFixtures() {
    }

    /** @return the real {@code claude} program, if installed (transport-claude/install-claude.sh) */
    public static Optional<Path> claude() {
        Object found = invokeStatic("ClaudeCliLocator", "find");
        return ((Optional<?>) found).map(Path.class::cast);
    }

    /** @return why the tests that need the CLI are skipped */
    public static String claudeNotFound() {
        return (String) invokeStatic("ClaudeCliLocator", "notFound");
    }

    /**
     * Writes the handlers the tests use into {@code project/.claude/commands}:
     * {@code say-something-nice} and {@code triage}.
     *
     * @return {@code project}
     */
    public static Path project(Path project) throws java.io.IOException {
        Path commands = Files.createDirectories(project.resolve(".claude/commands"));
        Files.writeString(commands.resolve("say-something-nice.md"), "---\ndescription: says something nice about an event\n"
                + "---\nSay something nice about this event: $ARGUMENTS\n");
        Files.writeString(commands.resolve("triage.md"), "---\ndescription: triages an event\n---\n"
                + "Triage this event: $ARGUMENTS\n");
        return project;
    }

    /** The transport-claude tests' fake Messages API on loopback. */
    public static final class FakeApi implements AutoCloseable {
        private final Object fake;
        private final Class<?> type;

        /** Starts it on a free loopback port. */
        public FakeApi() {
            type = type("FakeMessagesApi");
            try {
                Constructor<?> c = type.getDeclaredConstructor();
                c.setAccessible(true);
                fake = c.newInstance();
            } catch (ReflectiveOperationException e) {
                throw bridge(e);
            }
        }

        /** @return {@code http://127.0.0.1:PORT} */
        public String baseUrl() {
            return (String) invoke("baseUrl", new Class<?>[0]);
        }

        /**
         * @param home the CLI's {@code HOME}
         * @return the variables that point a real CLI at this API and keep it off the network, with
         *     no API retries (an API error ends the turn at once)
         */
        @SuppressWarnings("unchecked")
        public Map<String, String> claudeEnvironment(Path home) {
            return (Map<String, String>) invoke("claudeEnvironment", new Class<?>[] {Path.class}, home);
        }

        /** @param mode {@code OK}, {@code SERVER_ERROR_500}, {@code OVERLOADED_529}, {@code HANG} or {@code HOLD} */
        @SuppressWarnings({"unchecked", "rawtypes"})
        public void mode(String mode) {
            try {
                Field f = type.getDeclaredField("mode");
                f.setAccessible(true);
                Class<? extends Enum> modes = (Class<? extends Enum>) type("FakeMessagesApi$Mode");
                ((AtomicReference<Object>) f.get(fake)).set(Enum.valueOf(modes, mode));
            } catch (ReflectiveOperationException e) {
                throw bridge(e);
            }
        }

        /** @return the bodies of the message requests so far, oldest first */
        @SuppressWarnings("unchecked")
        public List<JsonNode> requests() {
            return (List<JsonNode>) invoke("requests", new Class<?>[0]);
        }

        /** @return whether another message request arrived within {@code seconds} */
        public boolean awaitRequest(long seconds) {
            return (Boolean) invoke("awaitRequest", new Class<?>[] {long.class}, seconds);
        }

        @Override
        public void close() {
            invoke("close", new Class<?>[0]);
        }

        private Object invoke(String name, Class<?>[] types, Object... args) {
            try {
                Method m = type.getDeclaredMethod(name, types);
                m.setAccessible(true);
                return m.invoke(fake, args);
            } catch (InvocationTargetException e) {
                throw rethrow(e);
            } catch (ReflectiveOperationException e) {
                throw bridge(e);
            }
        }
    }

    private static Object invokeStatic(String className, String name) {
        try {
            Method m = type(className).getDeclaredMethod(name);
            m.setAccessible(true);
            return m.invoke(null);
        } catch (InvocationTargetException e) {
            throw rethrow(e);
        } catch (ReflectiveOperationException e) {
            throw bridge(e);
        }
    }

    private static Class<?> type(String simpleName) {
        try {
            return Class.forName(PACKAGE + simpleName);
        } catch (ClassNotFoundException e) {
            throw bridge(e);
        }
    }

    private static RuntimeException rethrow(InvocationTargetException e) {
        return e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    }

    private static IllegalStateException bridge(ReflectiveOperationException e) {
        return new IllegalStateException("the claude transport's test fixtures changed shape (transport-claude "
                + "test-jar, package " + PACKAGE + "): " + e, e);
    }
}
