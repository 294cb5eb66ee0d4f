package dev.warmpool.api;

import java.io.File;
import java.lang.module.ResolvedModule;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Builds the argv that starts a Java worker's {@code main} class in a new JVM the way this JVM
 * found it: on the module path when the class is in a named module, on the class path otherwise.
 *
 * <p>{@snippet :
 * PoolConfig config = PoolConfig.builder()
 *         .command(JavaCommand.of(EchoWorker.class))
 *         .build();
 * }
 *
 * <p>Why not {@code System.getProperty("java.class.path")}: it is empty when the application runs
 * on the module path ({@code java -p ... -m app/Main}), and it is Maven's own class path under
 * {@code mvn exec:java}. This class asks where the classes really came from instead:
 * <ul>
 *   <li><b>named module</b>: the locations of the modules of the class's layer (and its parents)
 *       that are not in the Java runtime image become {@code --module-path}; the worker starts with
 *       {@code -m module/class}. Modules in the runtime image (a {@code jlink}ed application) need
 *       no path at all. Service providers on that path are bound as usual.</li>
 *   <li><b>class path</b>: the entries of {@code java.class.path}, then the URLs of every
 *       {@link URLClassLoader} between the class's loader and the system loader (as
 *       {@code mvn exec:java} and many plugin hosts use), then the location of the class itself if
 *       none of those held it.</li>
 * </ul>
 * The {@code java} program is this JVM's own ({@code java.home}/bin/java), so the worker runs on
 * the same Java version. No JVM options are copied: add your own with {@link #of(Class, List, String...)}.
 *
 * <p>Stateless and thread-safe; reads system properties and the module graph at each call.
 */
public final class JavaCommand {
    private JavaCommand() {
    }

    /**
     * Builds the argv that starts {@code mainClass} with this JVM's {@code java} program, on the module path or
     * the class path as this JVM found the class, and no JVM options.
     *
     * @param mainClass the worker's main class
     * @param args the worker's own arguments
     * @return the argv: {@code java [--module-path P] -m module/class args...} or
     *     {@code java -cp P class args...}
     * @throws IllegalArgumentException if the class's location cannot be found (a class defined at
     *     run time, say): the message names the class
     */
    public static List<String> of(Class<?> mainClass, String... args) {
        return of(mainClass, List.of(), args);
    }

    /**
     * Builds the argv that starts {@code mainClass} as {@link #of(Class, String...)} does, with options for the
     * worker's JVM (heap size, garbage collector) before the class.
     *
     * @param mainClass the worker's main class
     * @param jvmOptions options for the worker's JVM, placed before the class, e.g.
     *     {@code List.of("-Xmx64m", "-XX:+UseSerialGC")}
     * @param args the worker's own arguments
     * @return the argv, as for {@link #of(Class, String...)}
     * @throws IllegalArgumentException if the class's location cannot be found
     */
    public static List<String> of(Class<?> mainClass, List<String> jvmOptions, String... args) {
        Objects.requireNonNull(mainClass, "mainClass");
        List<String> argv = new ArrayList<>();
        argv.add(javaProgram());
        argv.addAll(List.copyOf(jvmOptions));
        Module module = mainClass.getModule();
        if (module.isNamed()) {
            List<String> path = modulePath(module);
            if (!path.isEmpty()) {
                argv.add("--module-path");
                argv.add(String.join(File.pathSeparator, path));
            }
            argv.add("-m");
            argv.add(module.getName() + "/" + mainClass.getName());
        } else {
            argv.add("-cp");
            argv.add(String.join(File.pathSeparator, classPath(mainClass)));
            argv.add(mainClass.getName());
        }
        argv.addAll(List.of(args));
        return List.copyOf(argv);
    }

    /** @return this JVM's {@code java} program */
    static String javaProgram() {
        Path home = Path.of(System.getProperty("java.home"));
        Path java = home.resolve("bin").resolve(isWindows() ? "java.exe" : "java");
        return java.toString();
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");
    }

    /** The file-system locations of the modules the main module's JVM resolved, outside the runtime image. */
    private static List<String> modulePath(Module module) {
        Set<String> path = new LinkedHashSet<>();
        ModuleLayer layer = module.getLayer() != null ? module.getLayer() : ModuleLayer.boot();
        List<ModuleLayer> layers = new ArrayList<>();
        collect(layer, layers);
        for (ModuleLayer l : layers) {
            for (ResolvedModule m : l.configuration().modules()) {
                m.reference().location().flatMap(JavaCommand::file).ifPresent(p -> path.add(p.toString()));
            }
        }
        return new ArrayList<>(path);
    }

    private static void collect(ModuleLayer layer, List<ModuleLayer> into) {
        if (layer == null || into.contains(layer)) {
            return;
        }
        into.add(layer);
        for (ModuleLayer parent : layer.parents()) {
            collect(parent, into);
        }
    }

    @SuppressWarnings("ReferenceEquality") // class loaders are told apart by identity: the system one ends the walk
    private static List<String> classPath(Class<?> mainClass) {
        Set<String> path = new LinkedHashSet<>();
        String cp = System.getProperty("java.class.path", "");
        for (String entry : cp.split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                path.add(Path.of(entry).toAbsolutePath().toString());
            }
        }
        ClassLoader system = ClassLoader.getSystemClassLoader();
        for (ClassLoader l = mainClass.getClassLoader(); l != null && l != system; l = l.getParent()) {
            if (l instanceof URLClassLoader u) {
                for (URL url : u.getURLs()) {
                    toUri(url).flatMap(JavaCommand::file).ifPresent(p -> path.add(p.toString()));
                }
            }
        }
        Optional<Path> own = Optional.ofNullable(mainClass.getProtectionDomain().getCodeSource())
                .map(CodeSource::getLocation).flatMap(JavaCommand::toUri).flatMap(JavaCommand::file);
        if (own.isPresent()) {
            path.add(own.get().toString()); // a no-op when the class path already held it
        } else if (path.isEmpty()) {
            throw new IllegalArgumentException("cannot tell where class " + mainClass.getName()
                    + " was loaded from (no code source and no class path); build the worker's command by hand");
        }
        return new ArrayList<>(path);
    }

    private static Optional<URI> toUri(URL url) {
        try {
            return Optional.of(url.toURI());
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static Optional<Path> file(URI uri) {
        if (!"file".equalsIgnoreCase(uri.getScheme())) {
            return Optional.empty(); // jrt: (in the runtime image), or something a new JVM cannot read
        }
        Path p = Path.of(uri).toAbsolutePath();
        return Files.exists(p) ? Optional.of(p) : Optional.empty();
    }
}
