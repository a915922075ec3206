package io.traefikha.proxmox;

/** PUT config: options to set, options to delete, and the digest the change is based on (optimistic lock). */
public final class ConfigUpdate extends OptionsUpdate<ConfigUpdate> {

    public static ConfigUpdate create() {
        return new ConfigUpdate();
    }

    public ConfigUpdate net(int index, NetConfig net) {
        return set("net" + index, net.format());
    }
}
