/**
 * The warmpool API: the types an application and a plugin author see.
 *
 * <p>Depends on the JDK alone. Implementations live in other modules and are found with
 * {@link java.util.ServiceLoader} through the provider interfaces in {@code dev.warmpool.api.spi}.
 */
module dev.warmpool.api {
    exports dev.warmpool.api;
    exports dev.warmpool.api.spi;

    uses dev.warmpool.api.spi.TransportProvider;
    uses dev.warmpool.api.spi.ScalingPolicyProvider;
}
