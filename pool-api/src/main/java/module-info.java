/**
 * The warmpool API: the types an application and a plugin author see.
 *
 * <p>Depends on the JDK alone. Implementations live in other modules and are found through the
 * provider interfaces in {@code dev.warmpool.api.spi} by pool-core, the one place that discovers them.
 * This module loads only a {@link dev.warmpool.api.spi.ProviderCheck}, which pool-core provides, so
 * that {@link dev.warmpool.api.PoolConfig.Builder#build()} can resolve provider names early.
 */
module dev.warmpool.api {
    exports dev.warmpool.api;
    exports dev.warmpool.api.spi;

    // JSpecify's @NullMarked and @Nullable: read by compilers and tools, never at run time (static), so the
    // module still runs on the JDK alone; transitive because @Nullable is part of exported signatures
    requires static transitive org.jspecify;

    uses dev.warmpool.api.spi.ProviderCheck;
}
