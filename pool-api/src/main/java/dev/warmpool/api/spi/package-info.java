/**
 * The service-provider interfaces: how an implementation module plugs a transport or a scaling
 * policy into warmpool.
 *
 * <p>A provider has a {@link dev.warmpool.api.spi.TransportProvider#name() name} that a
 * configuration selects it by, a {@code priority} that orders several providers of one name, and an
 * {@code isAvailable} check (a provider whose requirements are missing says so instead of failing
 * later). A module registers its provider with a {@code provides} clause in its
 * {@code module-info.java} and the same class name in {@code META-INF/services}, so it is found on
 * the module path and the class path alike.
 *
 * <p>A provider reads its {@code name=value} settings with {@link dev.warmpool.api.spi.PluginSettings},
 * so its messages name the setting, echo the value and say what is accepted, as warmpool's own do.
 * {@link dev.warmpool.api.spi.ProviderCheck} is the one service this module loads itself: pool-core
 * provides it so that a configuration's provider names are resolved when it is built.
 */
@NullMarked
package dev.warmpool.api.spi;

import org.jspecify.annotations.NullMarked;
