package io.traefikha.packaging;

import static io.traefikha.packaging.Manifests.envValue;
import static io.traefikha.packaging.Manifests.facts;
import static io.traefikha.packaging.Manifests.one;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** deploy/operator.yaml: parses, is least-privilege and hardened. The chart is held to it by HelmChartTest. */
class DeployManifestsTest {

    static final String NS = "traefik-ha-system";

    /** Every permission the operator has, cluster-wide. Changing RBAC means changing this list on purpose. */
    static final Set<String> OPERATOR_RULES = Set.of(
            "traefikha.io/traefikhaclusters get", "traefikha.io/traefikhaclusters list",
            "traefikha.io/traefikhaclusters watch", "traefikha.io/traefikhaclusters patch",
            "traefikha.io/traefikhaclusters/status patch",
            "traefikha.io/traefikhaclusters/finalizers update",
            "/secrets get", "/secrets create", "/secrets patch",
            "/configmaps get", "/configmaps create", "/configmaps patch",
            "/events get", "/events create", "/events update", "/events patch",
            "events.k8s.io/events create", "events.k8s.io/events patch");

    static final Set<String> LEADER_ELECTION_RULES = Set.of(
            "coordination.k8s.io/leases get", "coordination.k8s.io/leases create", "coordination.k8s.io/leases update");

    private final List<HasMetadata> objects = Manifests.read(Manifests.DEPLOY);

    @Test
    void everyDocumentIsAKubernetesObjectWithoutUnknownFields() {
        assertThat(objects).extracting(HasMetadata::getKind).containsExactlyInAnyOrder(
                "Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding",
                "Deployment", "Service");
        objects.forEach(Manifests::assertNoUnknownFields);
        assertThat(one(objects, Namespace.class).getMetadata().getName()).isEqualTo(NS);
        objects.stream()
                .filter(o -> !(o instanceof Namespace || o instanceof ClusterRole || o instanceof ClusterRoleBinding))
                .forEach(o -> assertThat(o.getMetadata().getNamespace()).as(o.getKind()).isEqualTo(NS));
    }

    @Test
    void clusterRoleIsExactlyWhatTheOperatorNeeds() {
        ClusterRole role = one(objects, ClusterRole.class);
        assertThat(facts(role.getRules())).containsExactlyInAnyOrderElementsOf(OPERATOR_RULES);
        // spelled out, because these are the tempting ones to add "just in case"
        assertThat(facts(role.getRules())).noneMatch(f -> f.endsWith(" delete") || f.endsWith(" deletecollection")
                || f.contains("customresourcedefinitions") || f.contains("leases"));
        // Secrets are read by name and written by create or patch: never listed, watched or replaced
        assertThat(facts(role.getRules())).filteredOn(f -> f.startsWith("/secrets "))
                .containsExactlyInAnyOrder("/secrets get", "/secrets create", "/secrets patch");

        ClusterRoleBinding binding = one(objects, ClusterRoleBinding.class);
        assertThat(binding.getRoleRef().getKind()).isEqualTo("ClusterRole");
        assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
        assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
            assertThat(s.getKind()).isEqualTo("ServiceAccount");
            assertThat(s.getName()).isEqualTo(one(objects, ServiceAccount.class).getMetadata().getName());
            assertThat(s.getNamespace()).isEqualTo(NS);
        });
    }

    @Test
    void leasesOnlyInTheOperatorsNamespace() {
        Role role = one(objects, Role.class);
        assertThat(role.getMetadata().getNamespace()).isEqualTo(NS);
        assertThat(facts(role.getRules())).containsExactlyInAnyOrderElementsOf(LEADER_ELECTION_RULES);

        RoleBinding binding = one(objects, RoleBinding.class);
        assertThat(binding.getMetadata().getNamespace()).isEqualTo(NS);
        assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
        assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
        assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
            assertThat(s.getName()).isEqualTo(one(objects, ServiceAccount.class).getMetadata().getName());
            assertThat(s.getNamespace()).isEqualTo(NS);
        });
    }

    @Test
    void deploymentIsHardenedAndSized() {
        Deployment deployment = one(objects, Deployment.class);
        Manifests.assertHardened(deployment);
        assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName())
                .isEqualTo(one(objects, ServiceAccount.class).getMetadata().getName());

        Container c = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getResources().getRequests())
                .isEqualTo(Map.of("cpu", new Quantity("100m"), "memory", new Quantity("192Mi")));
        assertThat(c.getResources().getLimits())
                .isEqualTo(Map.of("cpu", new Quantity("500m"), "memory", new Quantity("320Mi")));
        assertThat(c.getImage()).isEqualTo("traefik-ha-operator:0.1.0");
    }

    @Test
    void leaderElectionIsOnWithTheLeaseInThePodsNamespace() {
        Container c = one(objects, Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(envValue(c, "TRAEFIKHA_LEADER_ELECTION_ENABLED")).isEqualTo("true");
        assertThat(Manifests.env(c).get("TRAEFIKHA_LEADER_ELECTION_LEASE_NAMESPACE").getValueFrom().getFieldRef()
                .getFieldPath()).isEqualTo("metadata.namespace");
        assertThat(envValue(c, "QUARKUS_LOG_CONSOLE_JSON_ENABLED")).isEqualTo("false");
        assertThat(envValue(c, "TRAEFIKHA_LOG_LEVEL")).isEqualTo("INFO");
        // all namespaces: the operator's default, so no namespaces override
        assertThat(Manifests.env(c)).doesNotContainKey("QUARKUS_OPERATOR_SDK_CONTROLLERS_TRAEFIKHA_NAMESPACES");
    }

    @Test
    void serviceExposesMetricsOfTheOperatorPods() {
        Service service = one(objects, Service.class);
        Deployment deployment = one(objects, Deployment.class);
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(deployment.getSpec().getSelector().getMatchLabels())
                .isEqualTo(service.getSpec().getSelector());
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getPort()).isEqualTo(8080);
            assertThat(p.getTargetPort().getStrVal()).isEqualTo("http");
            assertThat(p.getName()).isEqualTo("http");
        });
    }
}
