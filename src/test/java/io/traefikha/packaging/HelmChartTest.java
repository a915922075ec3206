package io.traefikha.packaging;

import static io.traefikha.packaging.Manifests.all;
import static io.traefikha.packaging.Manifests.envValue;
import static io.traefikha.packaging.Manifests.facts;
import static io.traefikha.packaging.Manifests.generic;
import static io.traefikha.packaging.Manifests.one;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Renders helm/traefik-ha-operator with the real Helm library (helm-java's native build of Helm) and checks the
 * objects: they parse, RBAC equals deploy/operator.yaml, the CRD equals crds/, and values switch what they promise.
 */
class HelmChartTest {

    static final String RELEASE = "traefik-ha";
    static final String NS = "traefik-ha-system";
    static final Path HA_VALUES = Path.of("src/test/resources/packaging/values-ha.yaml");

    static List<HasMetadata> deploy;
    static List<HasMetadata> defaults;
    static List<HasMetadata> ha;

    @BeforeAll
    static void render() {
        deploy = Manifests.read(Manifests.DEPLOY);
        defaults = Manifests.parse(template().call());
        ha = Manifests.parse(template().withValuesFile(HA_VALUES.toAbsolutePath()).call());
    }

    static TemplateCommand template() {
        return new Helm(Manifests.CHART).template().withName(RELEASE).withNamespace(NS);
    }

    static Container container(List<HasMetadata> objects) {
        return one(objects, Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    @Test
    void chartLintsStrictly() {
        LintResult lint = new Helm(Manifests.CHART).lint().strict().call();
        assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
        assertThat(lint.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }

    @Test
    void chartMetadata() throws IOException {
        JsonNode chart = new ObjectMapper(new YAMLFactory()).readTree(Manifests.CHART.resolve("Chart.yaml").toFile());
        assertThat(chart.get("apiVersion").asText()).isEqualTo("v2");
        assertThat(chart.get("name").asText()).isEqualTo("traefik-ha-operator");
        assertThat(chart.get("appVersion").asText()).isEqualTo("0.1.0");
    }

    @Test
    void chartCrdIsByteIdenticalToCrdsDirectory() throws IOException {
        try (var files = Files.list(Manifests.CHART.resolve("crds"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactly(Manifests.CRD.getFileName().toString());
        }
        assertThat(Files.readAllBytes(Manifests.CHART.resolve("crds").resolve(Manifests.CRD.getFileName())))
                .isEqualTo(Files.readAllBytes(Manifests.CRD));
        // and Helm loads it as that CRD (helm show crds; like helm template, rendering leaves crds/ out)
        List<HasMetadata> loaded = Manifests.parse(new Helm(Manifests.CHART).show().crds().call());
        assertThat(loaded).singleElement()
                .isEqualTo(one(Manifests.read(Manifests.CRD), CustomResourceDefinition.class));
        assertThat(defaults).noneMatch(CustomResourceDefinition.class::isInstance);
    }

    @Test
    void everyRenderedDocumentIsAKubernetesObjectWithoutUnknownFields() {
        assertThat(defaults).extracting(HasMetadata::getKind).containsExactlyInAnyOrder(
                "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Deployment", "Service");
        assertThat(ha).extracting(HasMetadata::getKind).containsExactlyInAnyOrder(
                "ServiceAccount", "ClusterRole", "RoleBinding", "RoleBinding", "Role", "RoleBinding", "Role", "RoleBinding",
                "Role", "RoleBinding", "Deployment", "Service", "ServiceMonitor");
        defaults.forEach(Manifests::assertNoUnknownFields);
        ha.forEach(Manifests::assertNoUnknownFields);
    }

    @Test
    void rbacEqualsDeployManifests() {
        Map<String, ?> expected = Map.of(
                "operator", facts(one(deploy, ClusterRole.class).getRules()),
                "leases", facts(one(deploy, Role.class).getRules()));
        assertThat(Map.of(
                "operator", facts(one(defaults, ClusterRole.class).getRules()),
                "leases", facts(leaderElection(ha).getRules())))
                .isEqualTo(expected);
        assertThat(leaderElection(ha).getMetadata().getNamespace()).isEqualTo(NS);
        // with watched namespaces the same rules, the Secrets part from each namespace's Role
        for (String namespace : List.of("team-a", "team-b")) {
            Set<String> granted = new HashSet<>(facts(one(ha, ClusterRole.class).getRules()));
            granted.addAll(facts(secretsRole(ha, namespace).getRules()));
            assertThat(granted).as(namespace).isEqualTo(expected.get("operator"));
        }
    }

    /** Issue 14: Secrets get/create/patch only, and with watchNamespaces a Role and RoleBinding in each namespace. */
    @Test
    void watchedNamespacesGetSecretsThroughARoleEachAndTheClusterRoleNone() {
        assertThat(facts(one(ha, ClusterRole.class).getRules())).noneMatch(f -> f.startsWith("/secrets "));
        for (String namespace : List.of("team-a", "team-b")) {
            Role role = secretsRole(ha, namespace);
            assertThat(facts(role.getRules())).containsExactlyInAnyOrder("/secrets get", "/secrets create", "/secrets patch");
            RoleBinding binding = one(inNamespace(ha, namespace).stream()
                    .filter(o -> o instanceof RoleBinding b && b.getRoleRef().getKind().equals("Role")).toList(), RoleBinding.class);
            assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
            assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
                assertThat(s.getName()).isEqualTo(one(ha, ServiceAccount.class).getMetadata().getName());
                assertThat(s.getNamespace()).isEqualTo(NS);
            });
        }
        assertThat(all(ha, Role.class)).extracting(r -> r.getMetadata().getNamespace())
                .containsExactlyInAnyOrder(NS, "team-a", "team-b");
    }

    private static Role leaderElection(List<HasMetadata> objects) {
        return one(inNamespace(objects, NS), Role.class);
    }

    private static Role secretsRole(List<HasMetadata> objects, String namespace) {
        return one(inNamespace(objects, namespace), Role.class);
    }

    private static List<HasMetadata> inNamespace(List<HasMetadata> objects, String namespace) {
        return objects.stream().filter(o -> namespace.equals(o.getMetadata().getNamespace())).toList();
    }

    @Test
    void defaultsWatchAllNamespacesThroughAClusterRoleBinding() {
        ClusterRoleBinding binding = one(defaults, ClusterRoleBinding.class);
        assertThat(binding.getRoleRef().getName()).isEqualTo(one(defaults, ClusterRole.class).getMetadata().getName());
        assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
            assertThat(s.getName()).isEqualTo(one(defaults, ServiceAccount.class).getMetadata().getName());
            assertThat(s.getNamespace()).isEqualTo(NS);
        });
        assertThat(Manifests.env(container(defaults)))
                .doesNotContainKey("QUARKUS_OPERATOR_SDK_CONTROLLERS_TRAEFIKHA_NAMESPACES");
    }

    @Test
    void watchedNamespacesGetRoleBindingsAndTheOperatorsNamespacesSetting() {
        assertThat(all(ha, ClusterRoleBinding.class)).isEmpty();
        String clusterRole = one(ha, ClusterRole.class).getMetadata().getName();
        List<RoleBinding> watched = all(ha, RoleBinding.class).stream()
                .filter(b -> b.getRoleRef().getKind().equals("ClusterRole")).toList();
        assertThat(watched).extracting(b -> b.getMetadata().getNamespace()).containsExactlyInAnyOrder("team-a", "team-b");
        assertThat(watched).allSatisfy(b -> {
            assertThat(b.getRoleRef().getName()).isEqualTo(clusterRole);
            assertThat(b.getSubjects()).singleElement().satisfies(s -> assertThat(s.getNamespace()).isEqualTo(NS));
        });
        assertThat(envValue(container(ha), "QUARKUS_OPERATOR_SDK_CONTROLLERS_TRAEFIKHA_NAMESPACES"))
                .isEqualTo("team-a,team-b");
    }

    @Test
    void defaultDeploymentMatchesDeployManifests() {
        Deployment chart = one(defaults, Deployment.class);
        Manifests.assertHardened(chart);
        Container c = container(defaults);
        Container plain = container(deploy);
        assertThat(c.getResources()).isEqualTo(plain.getResources());
        assertThat(c.getLivenessProbe()).isEqualTo(plain.getLivenessProbe());
        assertThat(c.getReadinessProbe()).isEqualTo(plain.getReadinessProbe());
        assertThat(c.getStartupProbe()).isEqualTo(plain.getStartupProbe());
        assertThat(c.getSecurityContext()).isEqualTo(plain.getSecurityContext());
        assertThat(chart.getSpec().getTemplate().getSpec().getSecurityContext())
                .isEqualTo(one(deploy, Deployment.class).getSpec().getTemplate().getSpec().getSecurityContext());
        assertThat(envValue(c, "JAVA_OPTS_APPEND")).isEqualTo(envValue(plain, "JAVA_OPTS_APPEND"));

        assertThat(chart.getSpec().getReplicas()).isEqualTo(1);
        assertThat(c.getImage()).isEqualTo("traefik-ha-operator:0.1.0");
        assertThat(envValue(c, "TRAEFIKHA_LOG_LEVEL")).isEqualTo("INFO");
        assertThat(envValue(c, "QUARKUS_LOG_CONSOLE_JSON_ENABLED")).isEqualTo("false");
        assertThat(chart.getSpec().getTemplate().getSpec().getServiceAccountName())
                .isEqualTo(one(defaults, ServiceAccount.class).getMetadata().getName());
    }

    @Test
    void oneReplicaRunsWithoutLeaderElectionUnlessAskedFor() {
        assertThat(envValue(container(defaults), "TRAEFIKHA_LEADER_ELECTION_ENABLED")).isEqualTo("false");
        assertThat(all(defaults, Role.class)).isEmpty();
        assertThat(all(defaults, RoleBinding.class)).isEmpty();

        List<HasMetadata> asked = Manifests.parse(template().set("leaderElection.enabled", "true").call());
        assertThat(envValue(container(asked), "TRAEFIKHA_LEADER_ELECTION_ENABLED")).isEqualTo("true");
        assertThat(facts(one(asked, Role.class).getRules())).isEqualTo(facts(one(deploy, Role.class).getRules()));
    }

    @Test
    void moreReplicasTurnLeaderElectionOnWithItsLease() {
        Deployment deployment = one(ha, Deployment.class);
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
        Container c = container(ha);
        assertThat(envValue(c, "TRAEFIKHA_LEADER_ELECTION_ENABLED")).isEqualTo("true");
        assertThat(envValue(c, "TRAEFIKHA_LEADER_ELECTION_LEASE_NAME")).isEqualTo("traefik-ha-operator-lease");
        assertThat(Manifests.env(c).get("TRAEFIKHA_LEADER_ELECTION_LEASE_NAMESPACE").getValueFrom().getFieldRef()
                .getFieldPath()).isEqualTo("metadata.namespace");

        Role role = leaderElection(ha);
        RoleBinding binding = one(inNamespace(ha, NS), RoleBinding.class);
        assertThat(binding.getMetadata().getNamespace()).isEqualTo(NS);
        assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
        assertThat(binding.getSubjects()).singleElement()
                .satisfies(s -> assertThat(s.getName()).isEqualTo(deployment.getSpec().getTemplate().getSpec()
                        .getServiceAccountName()));
    }

    @Test
    void nonDefaultValuesReachTheDeployment() {
        Deployment deployment = one(ha, Deployment.class);
        Manifests.assertHardened(deployment);
        Container c = container(ha);
        assertThat(c.getImage()).isEqualTo("homelab/traefik-ha-operator:0.1.0-test");
        assertThat(envValue(c, "TRAEFIKHA_LOG_LEVEL")).isEqualTo("DEBUG");
        assertThat(envValue(c, "QUARKUS_LOG_CONSOLE_JSON_ENABLED")).isEqualTo("true");
        assertThat(c.getResources().getRequests())
                .isEqualTo(Map.of("cpu", new Quantity("250m"), "memory", new Quantity("256Mi")));
        assertThat(c.getResources().getLimits())
                .isEqualTo(Map.of("cpu", new Quantity("1"), "memory", new Quantity("512Mi")));
        assertThat(deployment.getSpec().getTemplate().getSpec().getNodeSelector())
                .isEqualTo(Map.of("kubernetes.io/arch", "amd64"));
    }

    @Test
    void serviceMonitorOnlyWhenEnabledAndScrapingTheService() {
        assertThat(generic(defaults, "ServiceMonitor")).isEmpty();

        GenericKubernetesResource monitor = generic(ha, "ServiceMonitor").get(0);
        Service service = one(ha, Service.class);
        assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(monitor.getMetadata().getNamespace()).isEqualTo(NS);
        assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "kube-prometheus-stack");
        Map<String, String> selector = monitor.get("spec", "selector", "matchLabels");
        assertThat(service.getMetadata().getLabels()).containsAllEntriesOf(selector);
        List<Map<String, Object>> endpoints = monitor.get("spec", "endpoints");
        assertThat(endpoints).singleElement().satisfies(e -> assertThat(e).containsEntry("port", "http")
                .containsEntry("path", "/q/metrics").containsEntry("interval", "15s"));
        assertThat(service.getSpec().getPorts()).anySatisfy(p -> assertThat(p.getName()).isEqualTo("http"));
        assertThat(one(ha, Deployment.class).getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(service.getSpec().getSelector());
    }

    @Test
    void rbacAndServiceAccountCanBeLeftToTheUser() {
        List<HasMetadata> bare = Manifests.parse(template().set("rbac.create", "false")
                .set("serviceAccount.create", "false").set("serviceAccount.name", "my-operator")
                .set("replicas", "2").call());
        assertThat(bare).extracting(HasMetadata::getKind)
                .doesNotContain("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding");
        assertThat(one(bare, Deployment.class).getSpec().getTemplate().getSpec().getServiceAccountName())
                .isEqualTo("my-operator");

        assertThatThrownBy(() -> template().set("serviceAccount.create", "false").call())
                .hasMessageContaining("serviceAccount.name is required");
    }
}
