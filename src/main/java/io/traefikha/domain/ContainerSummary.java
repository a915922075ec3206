package io.traefikha.domain;

/**
 * One guest as the cluster view (GET /cluster/resources?type=vm) shows it, without the usage counters that change every
 * few seconds. {@code node}, {@code lock} and {@code tags} come from the config and are current; {@code status} and
 * {@code name} come from the status daemon's broadcast and lag by up to about 10 s.
 */
public record ContainerSummary(int vmid, boolean exists, String node, String status, String lock, String tags,
        String name) {

    public static ContainerSummary missing(int vmid) {
        return new ContainerSummary(vmid, false, null, null, null, null, null);
    }

    public boolean locked() {
        return lock != null && !lock.isEmpty();
    }

    /** What changed since {@code before}, for the log; empty when nothing did. */
    public String changesSince(ContainerSummary before) {
        if (exists != before.exists) {
            return "CT " + vmid + (exists ? " appeared" : " disappeared");
        }
        StringBuilder changes = new StringBuilder();
        change(changes, "node", before.node, node);
        change(changes, "status", before.status, status);
        change(changes, "lock", before.lock, lock);
        change(changes, "tags", before.tags, tags);
        change(changes, "name", before.name, name);
        return changes.isEmpty() ? "" : "CT " + vmid + changes;
    }

    private static void change(StringBuilder changes, String field, String before, String now) {
        if (!java.util.Objects.equals(before, now)) {
            changes.append(' ').append(field).append(' ').append(before).append(" -> ").append(now);
        }
    }
}
