package io.traefikha.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.traefikha.step.EventRecorder;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Events kept in memory, for tests that run reconcile steps without a Kubernetes API; safe to read while recording. */
public class RecordingEvents extends EventRecorder {

    public record Recorded(String type, String reason, String message) {
    }

    public final List<Recorded> recorded = new CopyOnWriteArrayList<>();

    public RecordingEvents() {
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

    public List<String> reasons() {
        return recorded.stream().map(Recorded::reason).toList();
    }
}
