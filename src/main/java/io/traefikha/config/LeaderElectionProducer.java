package io.traefikha.config;

import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.quarkus.arc.Unremovable;

/**
 * Runtime switch for leader election.
 *
 * <p>quarkus-operator-sdk 7.4.0 has no runtime property that turns leader election on or off:
 * {@code quarkus.operator-sdk.activate-leader-election-for-profiles} is fixed at build time, and in an activated profile
 * the extension looks up a {@link LeaderElectionConfiguration} bean and elects only when that lookup yields a
 * non-null instance. This {@code @Dependent} producer therefore returns {@code null} unless
 * {@code traefikha.leader-election.enabled} is true, so the Helm chart can switch it per installation
 * ({@code TRAEFIKHA_LEADER_ELECTION_ENABLED}; on whenever more than one replica runs).
 *
 * <p>The lease namespace defaults to the namespace the Kubernetes client runs in (the pod's namespace, from its service
 * account), which is where the chart grants get/create/update on leases. The identity defaults to {@code HOSTNAME},
 * i.e. the pod name.
 *
 * <p>Timing (JOSDK's defaults): a leader that dies without releasing the lease is replaced once {@code lease-duration}
 * has passed since its last renewal, noticed by a standby within {@code retry-period}; a leader that cannot renew
 * for {@code renew-deadline} steps down (JOSDK then exits the process, so it never reconciles beside the new one).
 */
@Dependent
public class LeaderElectionProducer {

    @Produces
    @Dependent // a @Dependent producer may return null: the extension then runs without leader election
    @Unremovable // only looked up programmatically by the extension
    LeaderElectionConfiguration leaderElectionConfiguration(
            @ConfigProperty(name = "traefikha.leader-election.enabled", defaultValue = "false") boolean enabled,
            @ConfigProperty(name = "traefikha.leader-election.lease-name", defaultValue = "traefik-ha-operator-lease")
            String leaseName,
            @ConfigProperty(name = "traefikha.leader-election.lease-namespace") Optional<String> leaseNamespace,
            @ConfigProperty(name = "traefikha.leader-election.lease-duration", defaultValue = "15s") Duration leaseDuration,
            @ConfigProperty(name = "traefikha.leader-election.renew-deadline", defaultValue = "10s") Duration renewDeadline,
            @ConfigProperty(name = "traefikha.leader-election.retry-period", defaultValue = "2s") Duration retryPeriod) {
        if (!enabled) {
            return null;
        }
        // fabric8's elector needs this order; said here with the property names rather than deep in its start
        if (leaseDuration.compareTo(renewDeadline) <= 0 || renewDeadline.compareTo(retryPeriod) <= 0) {
            throw new IllegalArgumentException("traefikha.leader-election: lease-duration (" + leaseDuration
                    + ") must be longer than renew-deadline (" + renewDeadline + "), and that longer than retry-period ("
                    + retryPeriod + ")");
        }
        // null namespace: JOSDK falls back to the client's namespace (the pod's own in a cluster)
        return new LeaderElectionConfiguration(leaseName, leaseNamespace.filter(ns -> !ns.isBlank()).orElse(null),
                leaseDuration, renewDeadline, retryPeriod);
    }
}
