package io.traefikha.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.api.v1alpha1.ClusterPhase;
import io.traefikha.api.v1alpha1.Condition;
import io.traefikha.api.v1alpha1.SecondarySpec;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.ContainerObservation;
import io.traefikha.domain.NodeAction;
import io.traefikha.domain.ProxmoxAction;
import io.traefikha.domain.Role;
import io.traefikha.simulator.node.SimulatedNodes;
import io.traefikha.step.ClusterReconciliation;
import io.traefikha.step.ReconcileFailure;
import io.traefikha.step.StatusAggregator;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reconcile chain against in-memory Proxmox and nodes: from a lone primary to Ready, drift, dry run, faults. */
class ClusterReconciliationTest extends InMemoryChainTest {

    @Test
    void aLonePrimaryBecomesAReadyPairWithoutEverStoppingIt() {
        int rounds = reconcileUntilReady();

        // clone; migrate; configure and start; keepalived on both nodes; confirmed by the next probe
        assertThat(rounds).isEqualTo(5);
        assertThat(resource.getStatus().phase).isEqualTo(ClusterPhase.Ready);
        assertThat(condition(ConditionTypes.READY).status).isEqualTo(Condition.TRUE);
        assertThat(resource.getStatus().vip.holder).isEqualTo("traefik");
        assertThat(resource.getStatus().vip.address).isEqualTo("192.168.1.100");
        assertThat(resource.getStatus().nodes).extracting(n -> n.role + "=" + n.containerState + "/" + n.vrrpState)
                .containsExactly("primary=running/MASTER", "secondary=running/BACKUP");
        assertThat(proxmox.applied).extracting(a -> a.getClass().getSimpleName()).containsExactly("CreateSnapshot",
                "CloneContainer", "MigrateContainer", "ConfigureContainer", "DeleteSnapshot", "StartContainer");
        assertThat(proxmox.applied).noneMatch(a -> a instanceof ProxmoxAction.ShutdownContainer);
        assertThat(proxmox.secondary.net0().ip()).isEqualTo("192.168.1.111/24");
        assertThat(proxmox.secondary.node()).isEqualTo("proxmox2");
        assertThat(events.reasons()).contains("Cloning", "Started");
        assertThat(condition(ConditionTypes.CONFIG_IN_SYNC).status).isEqualTo(Condition.TRUE);
        assertThat(resource.getStatus().sync.state).isEqualTo("InSync");
        assertThat(nodes.syncRounds).as("synced only once both nodes answered").isPositive();
    }

    @Test
    void anUnforeseenExceptionInAStepEndsTheRoundNotReadyNamingTheStepAndKeepsWhatWasObserved() {
        reconcileUntilReady();
        List<String> observedNodes = resource.getStatus().nodes.stream().map(n -> n.role + "/" + n.vrrpState).toList();
        int actionsBefore = proxmox.applied.size() + nodes.applied.size();
        nodes.probeFailure = new IllegalStateException("probe output unreadable", new NumberFormatException("x1"));

        StatusAggregator status = new StatusAggregator(resource, Clock.systemUTC());
        ClusterReconciliation.Outcome outcome = reconciliation.run(resource, status, connections(), PERIOD);
        resource.setStatus(status.build());

        assertThat(outcome.failure()).get().satisfies(failure -> {
            assertThat(failure.step()).isEqualTo("Keepalived");
            assertThat(failure.kind()).isEqualTo("IllegalStateException");
            assertThat(failure.getMessage()).isEqualTo("step Keepalived failed: IllegalStateException: probe output"
                    + " unreadable (caused by NumberFormatException: x1)");
            assertThat(failure.getCause()).as("not kept: its message is not vetted").isNull();
            assertThat(failure.getStackTrace()).isNotEmpty();
        });
        assertThat(condition(ConditionTypes.READY)).satisfies(ready -> {
            assertThat(ready.status).isEqualTo(Condition.FALSE);
            assertThat(ready.reason).isEqualTo(ReconcileFailure.REASON);
            assertThat(ready.message).startsWith("step Keepalived failed: IllegalStateException: probe output unreadable");
        });
        assertThat(resource.getStatus().phase).isEqualTo(ClusterPhase.Degraded);
        assertThat(condition(ConditionTypes.PROXMOX_REACHABLE).status).as("reported by the step before")
                .isEqualTo(Condition.TRUE);
        assertThat(resource.getStatus().nodes).extracting(n -> n.role + "/" + n.vrrpState)
                .as("the last observations stay").isEqualTo(observedNodes);
        assertThat(registry.get("traefikha.cluster.ready").gauge().value()).isZero();

        nodes.probeFailure = null;
        reconcile();

        assertThat(resource.getStatus().phase).isEqualTo(ClusterPhase.Ready);
        assertThat(proxmox.applied.size() + nodes.applied.size()).as("nothing changed").isEqualTo(actionsBefore);
    }

    @Test
    void theSteadyStateChangesNothingAndProbesEachNodeOnce() {
        reconcileUntilReady();
        int actionsBefore = proxmox.applied.size() + nodes.applied.size();
        int probesBefore = nodes.probes;

        reconcile();

        assertThat(proxmox.applied.size() + nodes.applied.size()).isEqualTo(actionsBefore);
        assertThat(nodes.probes - probesBefore).isEqualTo(2);
    }

    @Test
    void aStoppedSecondaryIsStartedAgainWithAnEvent() {
        reconcileUntilReady();
        proxmox.stopSecondary();

        reconcile();

        assertThat(proxmox.secondary.running()).isTrue();
        assertThat(events.recorded).anySatisfy(e -> assertThat(e.message()).isEqualTo("start CT 111 on proxmox2"));
        assertThat(registry.get("traefikha.repairs").tag("kind", "StartContainer").counter().count()).isEqualTo(2);
    }

    @Test
    void aDeletedSecondaryIsProvisionedAgain() {
        reconcileUntilReady();
        proxmox.secondary = ContainerObservation.missing();
        nodes.nodes.put(Role.SECONDARY, new SimulatedNodes.Node()); // the new container starts without keepalived

        reconcileUntilReady();

        assertThat(proxmox.applied).filteredOn(a -> a instanceof ProxmoxAction.CloneContainer).hasSize(2);
        assertThat(proxmox.secondary.running()).isTrue();
        assertThat(nodes.nodes.get(Role.SECONDARY).active).isTrue();
    }

    @Test
    void aKeepalivedConfigEditedByHandIsRewritten() {
        reconcileUntilReady();
        nodes.nodes.get(Role.SECONDARY).files.put("/etc/keepalived/keepalived.conf", "edited");

        reconcile();

        assertThat(nodes.applied).contains(new NodeAction.WriteFile(Role.SECONDARY, FILES.get(Role.SECONDARY).get(0)),
                new NodeAction.ReloadService(Role.SECONDARY, "keepalived", "its configuration changed"));
    }

    @Test
    void aFailoverIsCountedAndToldAsAnEvent() {
        reconcileUntilReady();

        nodes.traefikDies(Role.PRIMARY);
        reconcile();

        assertThat(resource.getStatus().vip.holder).isEqualTo("traefik-2");
        assertThat(resource.getStatus().failovers.count).isEqualTo(1);
        assertThat(resource.getStatus().failovers.lastTransition).isEqualTo("traefik -> traefik-2");
        assertThat(registry.get("traefikha.failovers").tag("cluster", "traefik-ha/traefik").counter().count()).isEqualTo(1);
        assertThat(registry.get("traefikha.vip.holder").tag("role", "secondary").gauge().value()).isEqualTo(1);
        assertThat(registry.get("traefikha.vip.holder").tag("role", "primary").gauge().value()).isZero();
        assertThat(registry.get("traefikha.node.healthy").tag("role", "primary").gauge().value()).isZero();
        assertThat(events.recorded).anySatisfy(e -> {
            assertThat(e.reason()).isEqualTo("Failover");
            assertThat(e.message()).contains("192.168.1.100").contains("from traefik to traefik-2");
        });
    }

    @Test
    void aFailoverSeenMidWayWithNobodyHoldingTheVipIsStillCountedOnce() {
        reconcileUntilReady();
        nodes.traefikDies(Role.PRIMARY);
        nodes.nodes.get(Role.SECONDARY).vip = false; // the reconcile looks while the secondary has not taken over yet
        reconcile();
        assertThat(resource.getStatus().vip.holder).isEmpty();

        nodes.elect();
        reconcile();
        reconcile();

        assertThat(resource.getStatus().vip.holder).isEqualTo("traefik-2");
        assertThat(resource.getStatus().failovers.count).isEqualTo(1);
        assertThat(resource.getStatus().failovers.lastTransition).isEqualTo("traefik -> traefik-2");
        assertThat(events.reasons()).containsOnlyOnce("Failover");
    }

    @Test
    void aCrashedKeepalivedThatLeftTheVipBehindIsRestartedAndTheSplitBrainReported() {
        reconcileUntilReady();
        nodes.crashKeepalived(Role.PRIMARY);
        nodes.nodes.get(Role.SECONDARY).vip = true;
        nodes.nodes.get(Role.SECONDARY).state = "MASTER";

        reconcile();

        assertThat(condition(ConditionTypes.SPLIT_BRAIN).status).isEqualTo(Condition.TRUE);
        assertThat(nodes.applied).contains(new NodeAction.StartService(Role.PRIMARY, "keepalived"));
        assertThat(resource.getStatus().phase).isEqualTo(ClusterPhase.Degraded);
    }

    @Test
    void dryRunPlansEverythingAndChangesNothing() {
        resource.getSpec().dryRun = true;

        reconcile();

        assertThat(proxmox.applied).isEmpty();
        assertThat(proxmox.backupsStarted).as("the backup is only planned").isZero();
        assertThat(nodes.syncRounds).isZero();
        assertThat(resource.getStatus().plannedActions).containsExactly(
                "back up CT 110 on proxmox with vzdump to storage local (snapshot mode, zstd), before the first change",
                "snapshot CT 110 on proxmox as 'traefikha_clone' (temporary, for a clone without downtime)",
                "clone CT 110 to CT 111 'traefik-2' from snapshot 'traefikha_clone' on node proxmox");
        assertThat(events.recorded).isEmpty();
    }

    @Test
    void anUnreachableProxmoxIsReportedAndNothingIsDone() {
        proxmox.reachable = false;

        reconcile();

        assertThat(condition(ConditionTypes.PROXMOX_REACHABLE).status).isEqualTo(Condition.FALSE);
        assertThat(condition(ConditionTypes.PROXMOX_REACHABLE).message).contains("timed out");
        assertThat(condition(ConditionTypes.READY).reason).isEqualTo("Unreachable");
        assertThat(nodes.probes).isZero();
    }

    @Test
    void aFailedCloneStopsTheChainAndSaysWhy() {
        proxmox.failOn = "CloneContainer";

        reconcile();

        assertThat(proxmox.applied).extracting(a -> a.getClass().getSimpleName()).containsExactly("CreateSnapshot");
        assertThat(condition(ConditionTypes.READY).message).contains("could not clone CT 110").contains("no space left");
        assertThat(events.recorded).anySatisfy(e -> assertThat(e.type()).isEqualTo("Warning"));
        assertThat(resource.getStatus().phase).isEqualTo(ClusterPhase.Provisioning);
    }

    @Test
    void deletionWithPolicyDeleteStopsKeepalivedAndDestroysTheSecondary() {
        reconcileUntilReady();
        resource.getSpec().deletionPolicy = io.traefikha.api.v1alpha1.DeletionPolicy.Delete;

        boolean done = reconciliation.cleanup(resource, new StatusAggregator(resource, Clock.systemUTC()), connections());

        assertThat(done).isTrue();
        assertThat(proxmox.secondary.exists()).isFalse();
        assertThat(proxmox.primary.running()).as("the primary keeps serving").isTrue();
        assertThat(nodes.nodes.get(Role.PRIMARY).active).isFalse();
        assertThat(nodes.nodes.get(Role.PRIMARY).enabled).isFalse();
    }

    @Test
    void deletionWaitsWhileProxmoxIsUnreachable() {
        reconcileUntilReady();
        resource.getSpec().deletionPolicy = io.traefikha.api.v1alpha1.DeletionPolicy.Delete;
        proxmox.reachable = false;

        assertThat(reconciliation.cleanup(resource, new StatusAggregator(resource, Clock.systemUTC()), connections())).isFalse();
        assertThat(events.reasons()).contains("RollbackWaiting");
    }

    @Test
    void aPrimaryStoppedForTheCloneIsRememberedInStatusUntilItIsStartedAgain() {
        resource.getSpec().secondary.cloneStrategy = SecondarySpec.CloneStrategy.StopPrimary;

        reconcile();

        assertThat(proxmox.applied.get(0)).isInstanceOf(ProxmoxAction.ShutdownContainer.class);
        assertThat(resource.getStatus().memory.primaryStoppedForCloneSince).isNotNull();
        assertThat(events.reasons()).contains("PrimaryStopped");

        reconcileUntilReady();

        assertThat(proxmox.applied).contains(new ProxmoxAction.StartContainer("proxmox", 110));
        assertThat(proxmox.primary.running()).isTrue();
        assertThat(resource.getStatus().memory.primaryStoppedForCloneSince).isNull();
        assertThat(condition(ConditionTypes.PRIMARY_STOPPED_FOR_CLONE).status).isEqualTo(Condition.FALSE);
    }
}
