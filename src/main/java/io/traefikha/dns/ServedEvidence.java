package io.traefikha.dns;

import java.util.List;

/**
 * What the per-name checks through the VIP say about the moved names, for the soak: the next group moves only once
 * every moved name has been checked and answered.
 *
 * @param notServed moved names whose last check got no HTTP answer through the VIP
 * @param unchecked moved names not checked since they moved
 */
public record ServedEvidence(List<String> notServed, List<String> unchecked) {

    /** Every moved name answered at its last check. */
    public static final ServedEvidence CLEAR = new ServedEvidence(List.of(), List.of());

    public ServedEvidence {
        notServed = List.copyOf(notServed);
        unchecked = List.copyOf(unchecked);
    }
}
