package io.traefikha.step;

import io.traefikha.api.v1alpha1.TraefikHAClusterStatus;
import io.traefikha.domain.ConditionTypes;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * An exception no step foresaw, named by where it escaped: a step of the chain, or {@link #OUTSIDE_STEPS} for the rest
 * of a reconcile (validation, opening connections, writing status). It is reported as {@code Ready=False} with reason
 * {@link #REASON}, an Event and {@code traefikha_reconcile_failures_total{step,kind}}, and the reconcile is retried with
 * capped backoff for as long as the resource exists.
 *
 * <p>The original's message is not kept as a cause, because the framework logs causes whole and an unforeseen message
 * might quote a credential: the message here has the values of the round's Secrets taken out, and the stack trace is the
 * original's.
 */
public final class ReconcileFailure extends RuntimeException {

    public static final String REASON = "ReconcileError";
    public static final String OUTSIDE_STEPS = "Reconcile";
    private static final int MAX_DETAIL = 1000;

    private final String step;
    private final String kind;
    /** What the round observed before it failed, for the status written instead of the round's own patch. */
    private final transient TraefikHAClusterStatus status;

    private ReconcileFailure(String step, String kind, String message, StackTraceElement[] stack,
            TraefikHAClusterStatus status) {
        super(message, null, false, true);
        this.step = step;
        this.kind = kind;
        this.status = status;
        setStackTrace(stack);
    }

    /** @param redact takes the round's secret values out of a message */
    public static ReconcileFailure in(String step, Throwable failure, UnaryOperator<String> redact) {
        String kind = failure.getClass().getSimpleName();
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String detail = describe(failure) + (root == failure ? "" : " (caused by " + describe(root) + ")");
        detail = redact.apply(detail);
        if (detail.length() > MAX_DETAIL) {
            detail = detail.substring(0, MAX_DETAIL) + "...";
        }
        return new ReconcileFailure(step, kind, "step " + step + " failed: " + detail, failure.getStackTrace(), null);
    }

    private static String describe(Throwable t) {
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    /** The same failure, carrying the status the round built up to it. */
    public ReconcileFailure withStatus(TraefikHAClusterStatus built) {
        return new ReconcileFailure(step, kind, getMessage(), getStackTrace(), built);
    }

    public String step() {
        return step;
    }

    /** The exception's class, e.g. NullPointerException. */
    public String kind() {
        return kind;
    }

    public Optional<TraefikHAClusterStatus> status() {
        return Optional.ofNullable(status);
    }

    /** Ready False, naming the step and the failure. */
    public void report(StatusAggregator aggregator) {
        aggregator.condition(ConditionTypes.READY, false, REASON, getMessage() + "; retried with backoff until it succeeds");
    }
}
