package io.traefikha.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.api.v1alpha1.ClusterPhase;
import io.traefikha.api.v1alpha1.Condition;
import io.traefikha.api.v1alpha1.DnsStatus;
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
}
