package io.traefikha.step;

/**
 * One HTTP request to Traefik on the VIP. The operator dials the VIP itself ({@link io.traefikha.reconciler.HttpVipProber}); tests plug in a
 * prober that runs where their VIP is reachable (a network namespace, a simulation).
 */
@FunctionalInterface
public interface VipProber {

    /**
     * @return true when an HTTP answer (any status) came back within the prober's own short timeout
     * @throws RuntimeException when probing itself is broken (not when the VIP does not answer)
     */
    boolean answers();
}
