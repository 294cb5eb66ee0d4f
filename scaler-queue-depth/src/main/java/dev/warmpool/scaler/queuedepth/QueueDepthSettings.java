package dev.warmpool.scaler.queuedepth;

import dev.warmpool.api.spi.PluginSettings;
import dev.warmpool.scaler.queuedepth.QueueDepthPolicy.Mode;
import dev.warmpool.scaler.queuedepth.QueueDepthPolicy.ScaleDownWhen;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the name=value settings of the {@code queue-depth} policy with pool-api's {@link PluginSettings}, so
 * its messages read like every other setting's: "queue-depth scaling setting max-step is '0', but ...". The
 * messages use the setting names, not the builder's method names, because that is what the reader wrote.
 */
final class QueueDepthSettings {
    static final String MODE = "mode";
    static final String SCALE_UP_THRESHOLD = "scale-up-threshold";
    static final String TARGET_PER_WORKER = "target-per-worker";
    static final String MAX_STEP = "max-step";
    static final String SCALE_DOWN_STABILIZATION = "scale-down-stabilization";
    static final String SCALE_DOWN_WHEN = "scale-down-when";

    /** The known settings, in the order the documentation lists them. */
    static final List<String> KNOWN = List.of(
            MODE, SCALE_UP_THRESHOLD, TARGET_PER_WORKER, MAX_STEP, SCALE_DOWN_STABILIZATION, SCALE_DOWN_WHEN);

    private QueueDepthSettings() {
    }

    static QueueDepthPolicy parse(Map<String, String> settings) {
        PluginSettings s = PluginSettings.forScalingPolicy(QueueDepthPolicyProvider.NAME, settings).allowOnly(KNOWN);
        QueueDepthPolicy.Builder b = QueueDepthPolicy.builder();
        Optional<Mode> chosen = s.oneOf(MODE, List.of(Mode.values()), Mode::settingValue);
        chosen.ifPresent(b::mode);
        Mode mode = chosen.orElse(Mode.STEP);
        if (s.text(SCALE_UP_THRESHOLD).isPresent()) {
            onlyIn(Mode.STEP, mode, s, SCALE_UP_THRESHOLD, TARGET_PER_WORKER);
            b.scaleUpThreshold(s.wholeNumber(SCALE_UP_THRESHOLD, 0, Integer.MAX_VALUE).getAsInt());
        }
        if (s.text(TARGET_PER_WORKER).isPresent()) {
            onlyIn(Mode.PROPORTIONAL, mode, s, TARGET_PER_WORKER, SCALE_UP_THRESHOLD);
            b.targetPerWorker(s.wholeNumber(TARGET_PER_WORKER, 1, Integer.MAX_VALUE).getAsInt());
        }
        if (s.text(MAX_STEP).filter(v -> v.strip().equalsIgnoreCase("unlimited")).isPresent()) {
            b.unlimitedStep();
        } else {
            s.wholeNumber(MAX_STEP, 1, Integer.MAX_VALUE).ifPresent(b::maxStep);
        }
        s.duration(SCALE_DOWN_STABILIZATION).ifPresent(b::scaleDownStabilization);
        s.oneOf(SCALE_DOWN_WHEN, List.of(ScaleDownWhen.values()), ScaleDownWhen::settingValue).ifPresent(b::scaleDownWhen);
        return b.build();
    }

    private static void onlyIn(Mode wanted, Mode mode, PluginSettings s, String name, String instead) {
        if (mode != wanted) {
            throw new IllegalArgumentException(QueueDepthPolicyProvider.NAME + " scaling setting " + name + " is '"
                    + s.text(name).orElseThrow() + "', but it applies to mode=" + wanted.settingValue()
                    + " only, and mode is '" + mode.settingValue() + "'; use " + instead + " instead");
        }
    }
}
