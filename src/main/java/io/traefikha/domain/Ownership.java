package io.traefikha.domain;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the operator marks the containers it owns: a description line naming the owning resource's UID (set by the clone
 * itself, so a CT whose clone was interrupted is still recognised), and the Proxmox tag {@value #TAG} for people
 * browsing the GUI. Only the UID decides ownership: a clone copies the primary's tags, and a resource deleted and
 * re-created with the same name is a stranger. The temporary snapshot the operator clones from is marked by its name.
 */
public final class Ownership {

    public static final String TAG = "traefikha";
    /**
     * The temporary snapshot a running primary is cloned from: its name marks it as the operator's (a user's snapshot is
     * never removed). Proxmox snapshot names are configuration ids: a letter, then letters, digits and underscores (no
     * hyphen), at most 40.
     */
    public static final String CLONE_SNAPSHOT = "traefikha_clone";
    private static final String MARKER_PREFIX = "traefikha.io/owner-uid: ";
    private static final String HEADER = "Managed by traefik-ha-operator (secondary Traefik). Keep the next line.";
    private static final Pattern MARKER = Pattern.compile("(?m)^" + Pattern.quote(MARKER_PREFIX) + "([0-9a-fA-F-]+)\\s*$");
    private static final Pattern BLOCK = Pattern.compile("(?m)^(" + Pattern.quote(HEADER) + "|" + Pattern.quote(MARKER_PREFIX) + ".*)\\R?");

    private Ownership() {
    }

    public static String markerLine(String uid) {
        return MARKER_PREFIX + uid;
    }

    /** The description with this resource's block (a header and the marker) at the end, the user's text kept. */
    public static String markedDescription(String description, String uid) {
        String usersText = description == null ? "" : BLOCK.matcher(description).replaceAll("").strip();
        String block = HEADER + "\n" + markerLine(uid);
        return usersText.isEmpty() ? block : usersText + "\n" + block;
    }

    public static String ownerUid(String description) {
        if (description == null) {
            return null;
        }
        Matcher m = MARKER.matcher(description);
        return m.find() ? m.group(1) : null;
    }

    public static boolean ownedBy(ContainerObservation ct, String uid) {
        return ct.exists() && uid.equals(ownerUid(ct.description()));
    }
}
