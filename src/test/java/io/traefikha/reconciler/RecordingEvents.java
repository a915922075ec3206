package io.traefikha.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;

/** Events kept in memory, for tests that run reconcile steps without a Kubernetes API. */
class RecordingEvents extends EventRecorder {

    record Recorded(String type, String reason, String message) {
    }

    final List<Recorded> recorded = new ArrayList<>();

    RecordingEvents() {
        super(null);
    }

    @Override
    public void normal(HasMetadata about, String reason, String message) {
        recorded.add(new Recorded("Normal", reason, message));
    }

    @Override
    public void warning(HasMetadata about, String reason, String message) {
        recorded.add(new Recorded("Warning", reason, message));
    }

    List<String> reasons() {
        return recorded.stream().map(Recorded::reason).toList();
    }
}
