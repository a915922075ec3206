package io.traefikha.config;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.javaoperatorsdk.operator.api.config.InformerStoppedHandler;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Default;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.jboss.logging.Logger;

/**
 * An informer stops for good on an error it does not retry (e.g. an object it cannot deserialize). quarkus-operator-sdk
 * registers no handler for that (plain JOSDK exits): the process would stay up doing nothing. Its readiness check does
 * turn DOWN, but readiness restarts nothing, and a leader that stopped watching would keep renewing its lease. So this
 * handler logs the stop and turns liveness DOWN: the kubelet restarts the operator, which lists everything anew, and
 * its lease passes to a standby meanwhile.
 */
@ApplicationScoped
@Liveness
@Default // the extension looks the handler up programmatically, with the default qualifier
@Unremovable
public class InformerLiveness implements InformerStoppedHandler, HealthCheck {

    static final String NAME = "informers";
    private static final Logger LOG = Logger.getLogger(InformerLiveness.class);

    private final Map<String, String> stopped = new ConcurrentHashMap<>();

    @Override
    @SuppressWarnings("rawtypes") // the interface's signature
    public void onStop(SharedIndexInformer informer, Throwable cause) {
        if (cause == null) {
            return; // stopped on purpose: the operator is shutting down
        }
        String resources = HasMetadata.getFullResourceName(informer.getApiTypeClass());
        LOG.errorf(cause, "The informer for %s stopped and no longer watches: no such resource is reconciled any more."
                + " Liveness is now DOWN so that the operator is restarted.", resources);
        stopped.put(resources, String.valueOf(cause.getMessage()));
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).status(stopped.isEmpty());
        stopped.forEach((resources, cause) -> response.withData(resources, "stopped: " + cause));
        return response.build();
    }
}
