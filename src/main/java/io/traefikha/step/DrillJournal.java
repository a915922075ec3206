package io.traefikha.step;

import io.traefikha.api.v1alpha1.DrillStatus;
import io.traefikha.domain.ExternalSystemException;

/**
 * Write-ahead for drills: status.lastDrill with result Running is stored before a service is stopped, so an operator
 * that dies mid-drill finds it on the next reconcile and starts the service again.
 */
@FunctionalInterface
public interface DrillJournal {

    void begin(DrillStatus running) throws ExternalSystemException;
}
