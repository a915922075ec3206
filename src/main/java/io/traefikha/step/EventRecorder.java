package io.traefikha.step;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.EventSource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import org.jboss.logging.Logger;

/**
 * Records Kubernetes Events (core/v1, what `kubectl describe` shows) on a resource. The same reason and message on the
 * same object are counted on one Event instead of creating a new one each reconcile, as kubelet's recorder does.
 */
@ApplicationScoped
public class EventRecorder {

    public static final String COMPONENT = "traefik-ha-operator";
    private static final Logger LOG = Logger.getLogger(EventRecorder.class);

    private final KubernetesClient client;

    public EventRecorder(KubernetesClient client) {
        this.client = client;
    }

    public void normal(HasMetadata about, String reason, String message) {
        record(about, "Normal", reason, message);
    }

    public void warning(HasMetadata about, String reason, String message) {
        record(about, "Warning", reason, message);
    }

    private void record(HasMetadata about, String type, String reason, String message) {
        String namespace = about.getMetadata().getNamespace();
        String name = about.getMetadata().getName() + "." + key(about.getMetadata().getUid(), type, reason, message);
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        try {
            var events = client.v1().events().inNamespace(namespace);
            Event existing = events.withName(name).get();
            if (existing != null) {
                existing.setCount(existing.getCount() == null ? 2 : existing.getCount() + 1);
                existing.setLastTimestamp(now);
                events.resource(existing).update();
                return;
            }
            events.resource(new EventBuilder()
                    .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                    .withInvolvedObject(new ObjectReferenceBuilder()
                            .withApiVersion(about.getApiVersion()).withKind(about.getKind())
                            .withName(about.getMetadata().getName()).withNamespace(namespace)
                            .withUid(about.getMetadata().getUid())
                            .withResourceVersion(about.getMetadata().getResourceVersion()).build())
                    .withType(type).withReason(reason).withMessage(message)
                    .withSource(new EventSource(COMPONENT, null)).withReportingComponent(COMPONENT)
                    .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                    .build()).create();
        } catch (KubernetesClientException e) {
            // An Event is a report, not state: failing to write one must not fail the reconcile.
            LOG.warnf("%s/%s: could not record event %s: %s", namespace, about.getMetadata().getName(), reason, e.getMessage());
        }
    }

    private static String key(String uid, String type, String reason, String message) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((uid + "\n" + type + "\n" + reason + "\n" + message).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
