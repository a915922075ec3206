package io.traefikha.proxmox;

import java.util.ArrayList;
import java.util.List;

/**
 * The shape Proxmox gives every options PUT (CT config, firewall options): options to set, options to delete (so their
 * default applies again), and the digest the change is based on (optimistic lock: a changed file is refused).
 *
 * @param <U> the concrete update, so the builder methods chain
 */
abstract class OptionsUpdate<U extends OptionsUpdate<U>> {

    private final FormParams set = FormParams.create();
    private final List<String> delete = new ArrayList<>();
    private String digest;

    public U set(String option, Object value) {
        set.put(option, value);
        return self();
    }

    public U delete(String option) {
        delete.add(option);
        return self();
    }

    /** Fail with a digest mismatch if the options changed since they were read with this digest. */
    public U digest(String readDigest) {
        this.digest = readDigest;
        return self();
    }

    FormParams toParams() {
        FormParams params = FormParams.create().putAll(set.asMap());
        if (!delete.isEmpty()) {
            params.put("delete", String.join(",", delete));
        }
        return params.put("digest", digest);
    }

    @SuppressWarnings("unchecked")
    private U self() {
        return (U) this;
    }
}
