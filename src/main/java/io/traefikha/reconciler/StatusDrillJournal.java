package io.traefikha.reconciler;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.traefikha.api.v1alpha1.DrillStatus;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.domain.ExternalSystemException;
import io.traefikha.step.DrillJournal;

/** {@link DrillJournal} as a JSON merge patch of status.lastDrill alone, sent at once (not at the end of the reconcile). */
public final class StatusDrillJournal implements DrillJournal {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final TraefikHACluster resource;

    public StatusDrillJournal(KubernetesClient client, TraefikHACluster resource) {
        this.client = client;
        this.resource = resource;
    }

    @Override
    public void begin(DrillStatus running) {
        ObjectNode patch = JSON.createObjectNode();
        patch.putObject("status").set("lastDrill", JSON.valueToTree(running));
        try {
            client.resources(TraefikHACluster.class).inNamespace(resource.getMetadata().getNamespace())
                    .withName(resource.getMetadata().getName()).subresource("status")
                    .patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
        } catch (KubernetesClientException e) {
            throw new ExternalSystemException("kubernetes", "could not record the drill's start in status.lastDrill: "
                    + e.getMessage(), e);
        }
    }
}
