package io.traefikha.reconciler;

/** The condition types the operator writes; README "Status" explains each. */
public final class ConditionTypes {

    public static final String VALID = "Valid";
    public static final String READY = "Ready";

    private ConditionTypes() {
    }
}
