package io.traefikha.keepalived;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.api.v1alpha1.ExampleSpecs;
import io.traefikha.api.v1alpha1.MaintenanceSpec;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.Role;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The keepalived.conf a VIP handover renders: the pinned node above its peer, preempting at once. */
class KeepalivedPinTest {

    @ParameterizedTest(name = "pin {0}, priorities {1}/{2}, preempt {3}")
    @CsvSource({
            // pinned,  primary, secondary, preempt, delay, primary priority, secondary priority, nopreempt on primary, on secondary
            "SECONDARY, 200,     100,       true,    ,      99,               100,                false,                false",
            "SECONDARY, 200,     100,       false,   ,      99,               100,                true,                 false",
            "PRIMARY,   200,     100,       false,   ,      200,              100,                false,                true",
            "SECONDARY, 2,       1,         true,    ,      1,                2,                  false,                false",
            "SECONDARY, 200,     100,       true,    30s,   99,               100,                false,                false"})
    void thePinnedNodeOutranksItsPeerAndPreemptsAtOnce(Role pinned, int primary, int secondary, boolean preempt,
            String delay, int primaryPriority, int secondaryPriority, boolean primaryNoPreempt, boolean secondaryNoPreempt) {
        TraefikHAClusterSpec spec = ClusterSpecs.homelab();
        spec.vip.priorities.primary = primary;
        spec.vip.priorities.secondary = secondary;
        spec.vip.preempt = preempt;
        spec.vip.preemptDelay = delay;

        String primaryConf = KeepalivedRenderer.render(spec, "c", Role.PRIMARY, null, Optional.of(pinned)).keepalivedConf();
        String secondaryConf = KeepalivedRenderer.render(spec, "c", Role.SECONDARY, null, Optional.of(pinned)).keepalivedConf();

        assertThat(primaryConf).contains("priority " + primaryPriority + "\n");
        assertThat(secondaryConf).contains("priority " + secondaryPriority + "\n");
        assertThat(primaryConf.contains("nopreempt")).isEqualTo(primaryNoPreempt);
        assertThat(secondaryConf.contains("nopreempt")).isEqualTo(secondaryNoPreempt);
        String pinnedConf = pinned == Role.PRIMARY ? primaryConf : secondaryConf;
        assertThat(pinnedConf).doesNotContain("preempt_delay");
    }

    /**
     * Three replicas (250, 240, 230): the pinned node keeps its priority, the others follow below it in role order, but
     * the node under maintenance comes last, so a failing holder hands the VIP to another healthy replica before it.
     */
    @ParameterizedTest(name = "pin {0}, maintenance of {1}")
    @CsvSource({
            // pinned,    maintained,  primary, secondary, secondary-2
            "secondary,   ,            239,     240,       230",
            "secondary-2, ,            229,     228,       230",
            "secondary,   primary,     229,     240,       230",
            "secondary-2, primary,     228,     229,       230",
            "primary,     secondary,   250,     229,       230",
            "secondary,   secondary-2, 239,     240,       230"})
    void withThreeReplicasTheMaintainedNodeIsLastInLineBehindThePinnedOne(String pinned, String maintained, int primary,
            int secondary, int secondary2) {
        TraefikHAClusterSpec spec = ExampleSpecs.threeReplicas(ClusterSpecs.homelab());
        spec.vip.priorities.primary = 250;
        spec.vip.priorities.secondary = 240;
        if (maintained != null) {
            spec.maintenance = new MaintenanceSpec();
            spec.maintenance.node = maintained;
        }

        Map<Role, Integer> rendered = new TreeMap<>();
        for (Role role : spec.roles()) {
            String conf = KeepalivedRenderer.render(spec, "c", role, null, Optional.of(Role.fromLabel(pinned))).keepalivedConf();
            Matcher priority = Pattern.compile("(?m)^\\s*priority (\\d+)$").matcher(conf);
            assertThat(priority.find()).as(role + "'s keepalived.conf names a priority").isTrue();
            rendered.put(role, Integer.valueOf(priority.group(1)));
        }

        assertThat(rendered).containsExactly(Map.entry(Role.PRIMARY, primary), Map.entry(Role.SECONDARY, secondary),
                Map.entry(Role.of(2), secondary2));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"PRIMARY", "SECONDARY"})
    void withoutAPinTheSpecsPrioritiesApply(Role role) {
        TraefikHAClusterSpec spec = ClusterSpecs.homelab();
        assertThat(KeepalivedRenderer.render(spec, "c", role, null, Optional.empty()))
                .isEqualTo(KeepalivedRenderer.render(spec, "c", role, null));
        assertThat(KeepalivedRenderer.render(spec, "c", role, null).keepalivedConf())
                .contains("priority " + (role == Role.PRIMARY ? spec.vip.priorities.primary : spec.vip.priorities.secondary) + "\n");
    }
}
