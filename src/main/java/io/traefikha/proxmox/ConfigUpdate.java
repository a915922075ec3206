package io.traefikha.proxmox;

import java.util.ArrayList;
import java.util.List;

/** PUT config: options to set, options to delete, and the digest the change is based on (optimistic lock). */
public final class ConfigUpdate {

    private final FormParams set = FormParams.create();
    private final List<String> delete = new ArrayList<>();
    private String digest;

    public static ConfigUpdate create() {
        return new ConfigUpdate();
    }

    public ConfigUpdate set(String option, Object value) {
        set.put(option, value);
        return this;
    }

    public ConfigUpdate net(int index, NetConfig net) {
        return set("net" + index, net.format());
    }

    public ConfigUpdate delete(String option) {
        delete.add(option);
        return this;
    }

    /** Fail with a digest mismatch if the config changed since it was read with this digest. */
    public ConfigUpdate digest(String configDigest) {
        this.digest = configDigest;
        return this;
    }

    FormParams toParams() {
        FormParams params = FormParams.create().putAll(set.asMap());
        if (!delete.isEmpty()) {
            params.put("delete", String.join(",", delete));
        }
        return params.put("digest", digest);
    }
}
