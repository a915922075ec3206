package io.traefikha.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.api.v1alpha1.BackupStatus;
import io.traefikha.api.v1alpha1.ClusterPhase;
import io.traefikha.api.v1alpha1.Condition;
import io.traefikha.api.v1alpha1.DnsStatus;
import io.traefikha.api.v1alpha1.PreflightCheckStatus;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.api.v1alpha1.VipStatus;
import org.junit.jupiter.api.Test;

class ProgressLineTest {

    @Test
    void aResourceNotLookedAtYetSaysSo() {
        assertThat(ProgressLine.of(new TraefikHACluster(), 0, 26)).contains("the operator has not looked at it yet");
        assertThat(ProgressLine.of(null, 0, 26)).contains("no TraefikHACluster traefik-ha/traefik");
    }

    @Test
    void showsPhaseHolderDnsAndConditionsWithReasonsOfTheOnesNotTrue() {
        TraefikHACluster resource = new TraefikHACluster();
        resource.getStatus().phase = ClusterPhase.Ready;
        resource.getStatus().vip = new VipStatus();
        resource.getStatus().vip.holder = "traefik";
        resource.getStatus().dns = new DnsStatus();
        resource.getStatus().dns.livePhase = "pilot";
        resource.getStatus().dns.nextPhase = "apps";
        resource.getStatus().conditions.add(new Condition("Ready", Condition.TRUE, "Serving", "VIP served"));
        resource.getStatus().conditions.add(new Condition("SplitBrain", Condition.FALSE, "SingleHolder", "one holder"));

        assertThat(ProgressLine.of(resource, 1, 26)).isEqualTo("phase Ready        master traefik   DNS 1/26 names at "
                + "the VIP (live phase pilot, next apps) | Ready SplitBrain=False(SingleHolder)");
    }

    @Test
    void preflightResultsAndTheBackupTakenAreMilestones() {
        TraefikHACluster resource = new TraefikHACluster();
        assertThat(ProgressLine.milestones(resource)).isEmpty();
        resource.getStatus().preflight.add(new PreflightCheckStatus("TokenPrivileges", PreflightCheckStatus.PASSED,
                "the API token has every privilege", "2026-12-05T14:03:00Z"));
        resource.getStatus().backup = new BackupStatus();
        resource.getStatus().backup.volid = "local:backup/vzdump-lxc-110-2026_12_05-14_03_20.tar.zst";
        resource.getStatus().backup.node = "proxmox";
        resource.getStatus().backup.upid = "UPID:proxmox:0000AB01:00C0FFEE:6751B2C8:vzdump:110:root@pam:";
        assertThat(ProgressLine.milestones(resource)).as("a backup still being taken is not one yet")
                .containsExactly("preflight TokenPrivileges Passed: the API token has every privilege");

        resource.getStatus().backup.takenAt = "2026-12-05T14:03:40Z";

        assertThat(ProgressLine.milestones(resource)).element(1).asString()
                .isEqualTo("backup of the primary before the first change: local:backup/vzdump-lxc-110-2026_12_05-14_03_20"
                        + ".tar.zst on node proxmox (task UPID:proxmox:0000AB01:00C0FFEE:6751B2C8:vzdump:110:root@pam:)");
    }
}
