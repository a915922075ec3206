package io.traefikha.proxmox;

/**
 * POST /nodes/{node}/lxc. {@code vmid} and {@code ostemplate} are required; the other options are set fluently
 * with their Proxmox names, e.g. {@code .option("memory", 512).net(0, NetConfig.staticIpv4(...))}.
 */
public final class CreateRequest {

    private final FormParams params = FormParams.create();

    private CreateRequest(int vmid, String ostemplate) {
        params.put("vmid", vmid).put("ostemplate", ostemplate);
    }

    /** @param ostemplate a template volume id such as local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst */
    public static CreateRequest of(int vmid, String ostemplate) {
        return new CreateRequest(vmid, ostemplate);
    }

    public CreateRequest option(String name, Object value) {
        params.put(name, value);
        return this;
    }

    public CreateRequest hostname(String hostname) {
        return option("hostname", hostname);
    }

    /** e.g. local-lvm:8 for a new 8 GiB volume on local-lvm. */
    public CreateRequest rootfs(String rootfs) {
        return option("rootfs", rootfs);
    }

    public CreateRequest net(int index, NetConfig net) {
        return option("net" + index, net.format());
    }

    /** OpenSSH public keys, one per line. */
    public CreateRequest sshPublicKeys(String keys) {
        return option("ssh-public-keys", keys);
    }

    FormParams toParams() {
        return params;
    }
}
