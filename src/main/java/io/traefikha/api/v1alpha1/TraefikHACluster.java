package io.traefikha.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One highly available Traefik: a primary LXC, operator-managed secondaries, a keepalived VIP
 * in front of them, the configuration kept in sync and DNS names pointed at the VIP.
 */
@Group(TraefikHACluster.GROUP)
@Version(TraefikHACluster.VERSION)
@Plural("traefikhaclusters")
@ShortNames({"traefikha", "tha"})
@AdditionalPrinterColumn(name = "VIP", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".spec.vip.address")
@AdditionalPrinterColumn(name = "Master", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.vip.holder")
@AdditionalPrinterColumn(name = "Replicas", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.replicas")
@AdditionalPrinterColumn(name = "Phase", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.phase")
@AdditionalPrinterColumn(name = "Sync", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.sync.state")
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE, jsonPath = ".metadata.creationTimestamp")
@AdditionalPrinterColumn(name = "Primary", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".spec.primary.address", priority = 1)
@AdditionalPrinterColumn(name = "Failovers", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.failovers.count", priority = 1)
public class TraefikHACluster extends CustomResource<TraefikHAClusterSpec, TraefikHAClusterStatus> implements Namespaced {

    public static final String GROUP = "traefikha.io";
    public static final String VERSION = "v1alpha1";

    @Override
    @JsonPropertyDescription("Desired state: the containers, the VIP in front of them, and how configuration and DNS follow.")
    public TraefikHAClusterSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("Observed state, written only by the operator.")
    public TraefikHAClusterStatus getStatus() {
        return super.getStatus();
    }

    /** Tolerant: a spec that does not fit the model becomes an {@link UnreadableSpec} instead of failing the informer. */
    @Override
    @JsonDeserialize(using = TolerantReader.Spec.class)
    public void setSpec(TraefikHAClusterSpec spec) {
        super.setSpec(spec);
    }

    /** Tolerant, like the spec: see {@link UnreadableStatus}. */
    @Override
    @JsonDeserialize(using = TolerantReader.Status.class)
    public void setStatus(TraefikHAClusterStatus status) {
        super.setStatus(status);
    }

    @Override
    protected TraefikHAClusterStatus initStatus() {
        return new TraefikHAClusterStatus();
    }

    /** {@code namespace/name}: how logs, metrics and messages name this resource. */
    public String id() {
        return getMetadata().getNamespace() + "/" + getMetadata().getName();
    }
}
