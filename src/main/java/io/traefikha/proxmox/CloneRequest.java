package io.traefikha.proxmox;

/**
 * POST clone. Only {@code newid} is required. Note what Proxmox does: the clone keeps the source's hostname
 * unless one is given, gets new MACs but the same static IPs (change them before starting it), and a running
 * source can only be fully cloned from a snapshot ({@code snapname}).
 *
 * @param full    null lets Proxmox choose (full for a normal CT, linked for a template)
 * @param storage target storage, full clones only
 * @param target  node to move the clone to at the end; needs shared storage
 */
public record CloneRequest(int newid, String hostname, String description, String pool, String snapname,
        String storage, Boolean full, String target) {

    public static CloneRequest of(int newid) {
        return new CloneRequest(newid, null, null, null, null, null, null, null);
    }

    public CloneRequest withHostname(String value) {
        return new CloneRequest(newid, value, description, pool, snapname, storage, full, target);
    }

    public CloneRequest withDescription(String value) {
        return new CloneRequest(newid, hostname, value, pool, snapname, storage, full, target);
    }

    public CloneRequest withPool(String value) {
        return new CloneRequest(newid, hostname, description, value, snapname, storage, full, target);
    }

    public CloneRequest fromSnapshot(String value) {
        return new CloneRequest(newid, hostname, description, pool, value, storage, full, target);
    }

    public CloneRequest withStorage(String value) {
        return new CloneRequest(newid, hostname, description, pool, snapname, value, full, target);
    }

    public CloneRequest withFull(Boolean value) {
        return new CloneRequest(newid, hostname, description, pool, snapname, storage, value, target);
    }

    public CloneRequest withTarget(String value) {
        return new CloneRequest(newid, hostname, description, pool, snapname, storage, full, value);
    }

    FormParams toParams() {
        return FormParams.create().put("newid", newid).put("hostname", hostname).put("description", description)
                .put("pool", pool).put("snapname", snapname).put("storage", storage).put("full", full).put("target", target);
    }
}
