package io.traefikha.step;

import io.traefikha.domain.EntryPoint;
import io.traefikha.domain.VipAnswer;

/**
 * One request to one of Traefik's entry points on the VIP, as a client would send it, every reconcile period
 * ({@link VipCheckStep}). The operator dials the VIP itself ({@link io.traefikha.reconciler.HttpVipProber}); tests and the
 * demo plug in one that reaches their VIP.
 */
@FunctionalInterface
public interface EntryPointProber {

    /**
     * @return the answer, or why none came within the prober's bounded timeout (never throws for a VIP that does not
     *         answer)
     */
    VipAnswer request(EntryPoint entryPoint);
}
