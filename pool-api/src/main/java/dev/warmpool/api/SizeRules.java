package dev.warmpool.api;

import static dev.warmpool.api.ConfigOption.MAX_SIZE;
import static dev.warmpool.api.ConfigOption.MIN_SIZE;
import static dev.warmpool.api.ConfigOption.SIZE;

import java.util.Map;

/**
 * Fits {@code size}, {@code minSize} and {@code maxSize} together. When two disagree, the one with the
 * weaker origin moves to make room for the other (a default for a variable, a variable for a builder
 * option) and its source says so; when both have the same origin, neither can win and the build fails
 * with a message that names where each value came from.
 */
final class SizeRules {
    private SizeRules() {
    }

    /**
     * Adjusts the three sizes in {@code settings} in place.
     *
     * @param settings every option's setting
     * @throws IllegalStateException if two sizes of the same origin disagree
     */
    static void fit(Map<ConfigOption<?>, Setting> settings) {
        Setting min = Setting.in(settings, MIN_SIZE);
        Setting max = Setting.in(settings, MAX_SIZE);
        if (value(min) > value(max)) {
            if (stronger(min, max)) {
                max = max.adjusted(value(min), "raised", MIN_SIZE, min);
            } else if (stronger(max, min)) {
                min = min.adjusted(value(max), "lowered", MAX_SIZE, max);
            } else {
                throw new IllegalStateException("minSize is " + value(min) + min.suffix() + ", but maxSize is "
                        + value(max) + max.suffix());
            }
        }
        Setting size = Setting.in(settings, SIZE);
        if (value(size) < value(min)) {
            if (stronger(size, min)) {
                min = min.adjusted(value(size), "lowered", SIZE, size);
            } else if (stronger(min, size)) {
                size = size.adjusted(value(min), "raised", MIN_SIZE, min);
            } else {
                throw outside(size, min, max);
            }
        } else if (value(size) > value(max)) {
            if (stronger(size, max)) {
                max = max.adjusted(value(size), "raised", SIZE, size);
            } else if (stronger(max, size)) {
                size = size.adjusted(value(max), "lowered", MAX_SIZE, max);
            } else {
                throw outside(size, min, max);
            }
        }
        settings.put(MIN_SIZE, min);
        settings.put(MAX_SIZE, max);
        settings.put(SIZE, size);
    }

    private static IllegalStateException outside(Setting size, Setting min, Setting max) {
        return new IllegalStateException("size is " + value(size) + size.suffix() + ", but must be within minSize "
                + value(min) + min.suffix() + " and maxSize " + value(max) + max.suffix());
    }

    private static boolean stronger(Setting a, Setting b) {
        return a.origin().compareTo(b.origin()) > 0;
    }

    private static int value(Setting s) {
        return (Integer) s.value();
    }
}
