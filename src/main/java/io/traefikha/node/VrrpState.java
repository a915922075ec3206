package io.traefikha.node;

/** The VRRP state keepalived's notify script last wrote on a node. */
public enum VrrpState {
    MASTER, BACKUP, FAULT, STOP, UNKNOWN;

    static VrrpState parse(String text) {
        for (VrrpState state : values()) {
            if (state.name().equals(text)) {
                return state;
            }
        }
        return UNKNOWN;
    }
}
