package io.traefikha.node;

import io.traefikha.domain.Shell;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Gives a cloned container its own host identity, in two commands so that the new host keys can be recorded between
 * them (write-ahead): {@link #stage()} generates new SSH host keys beside the live ones and prints their fingerprints;
 * {@link #install(Set)} makes the per-host identities a Debian 12 container keeps unique (/etc/machine-id, the D-Bus
 * machine id, systemd's random seed), moves the staged keys into place and has sshd load them. Both are idempotent,
 * so after a crash at any point they are simply run again.
 */
final class HostIdentity {

    /** On the root filesystem, not /run or /tmp: staged keys must outlive a reboot between the two commands. */
    static final String STAGE_DIR = "/var/lib/traefik-ha/new-host-keys";
    /** The host key types sshd on Debian 12 loads by default (DSA is gone from OpenSSH). */
    private static final String KEY_TYPES = "rsa ecdsa ed25519";
    /** install's exit code when the staged keys are gone or are not the recorded ones: they are staged afresh. */
    static final int STAGE_LOST = 3;

    private HostIdentity() {
    }

    /**
     * New keys of each type the node has, generated once into {@link #STAGE_DIR} (a second run reuses them); prints one
     * fingerprint per line.
     */
    static String stage() {
        return String.join("\n",
                "set -e",
                NodeScripts.PATH_LINE,
                "stage=" + STAGE_DIR,
                "umask 077",
                "if [ ! -f \"$stage/complete\" ]; then",
                "  rm -rf \"$stage\"; mkdir -p \"$stage\"",
                "  for type in " + KEY_TYPES + "; do",
                "    [ -f /etc/ssh/ssh_host_${type}_key ] || continue",
                "    ssh-keygen -q -N '' -t $type -C \"root@$(hostname)\" -f \"$stage/ssh_host_${type}_key\"",
                "  done",
                "  ls \"$stage\"/ssh_host_*_key > /dev/null 2>&1 || { echo 'no SSH host key in /etc/ssh to replace' >&2; exit 2; }",
                "  touch \"$stage/complete\"",
                "fi",
                "for pub in \"$stage\"/ssh_host_*_key.pub; do ssh-keygen -lf \"$pub\" | cut -d' ' -f2; done",
                "");
    }

    /** The fingerprints {@link #stage()} printed. */
    static Set<String> parseFingerprints(String stdout) {
        Set<String> fingerprints = Arrays.stream(stdout.split("\n")).map(String::strip).filter(l -> l.startsWith("SHA256:"))
                .collect(Collectors.toCollection(TreeSet::new));
        if (fingerprints.isEmpty()) {
            throw new NodeAccessException("staging new SSH host keys printed no fingerprint: " + stdout.strip());
        }
        return fingerprints;
    }

    /**
     * Unless the live keys already are the staged ones (a crash after the move): new machine ids and random seed first,
     * then the staged keys moved into place one by one (copy, then an atomic rename, so sshd never reads half a key),
     * so keys in place mean everything before them is done. Then sshd checks its configuration with them and reloads
     * (Debian's ssh.service reload: SIGHUP, sessions stay), and the staging directory goes. Exits {@link #STAGE_LOST}
     * when the staged keys are not the expected ones.
     */
    static String install(Set<String> expected) {
        String want = String.join(" ", new TreeSet<>(expected));
        return String.join("\n",
                "set -e",
                NodeScripts.PATH_LINE,
                "stage=" + STAGE_DIR,
                "want=" + Shell.quote(want),
                "fingerprints() { for pub in \"$@\"; do [ -f \"$pub\" ] && ssh-keygen -lf \"$pub\" | cut -d' ' -f2; done"
                        + " | sort | tr '\\n' ' ' | sed 's/ $//'; }",
                "live() { for type in " + KEY_TYPES + "; do [ -f /etc/ssh/ssh_host_${type}_key.pub ] && echo /etc/ssh/ssh_host_${type}_key.pub; done; true; }",
                "if [ \"$(fingerprints $(live))\" != \"$want\" ]; then",
                "  if [ ! -f \"$stage/complete\" ] || [ \"$(fingerprints \"$stage\"/ssh_host_*_key.pub)\" != \"$want\" ]; then",
                "    echo 'the staged host keys are gone or are not the recorded ones' >&2; exit " + STAGE_LOST,
                "  fi",
                // systemd-machine-id-setup would derive the id from the container's UUID where one is passed in; a
                // random one is what it writes otherwise, and is unique whatever the container runtime passes.
                "  tr -d '-' < /proc/sys/kernel/random/uuid > /etc/machine-id.traefik-ha.tmp",
                "  chmod 444 /etc/machine-id.traefik-ha.tmp && mv -f /etc/machine-id.traefik-ha.tmp /etc/machine-id",
                "  if [ -e /var/lib/dbus/machine-id ] && [ ! -L /var/lib/dbus/machine-id ]; then",
                "    ln -sf /etc/machine-id /var/lib/dbus/machine-id",
                "  fi",
                "  if [ -f /var/lib/systemd/random-seed ]; then",
                "    head -c 512 /dev/urandom > /var/lib/systemd/random-seed.traefik-ha.tmp",
                "    chmod 600 /var/lib/systemd/random-seed.traefik-ha.tmp",
                "    mv -f /var/lib/systemd/random-seed.traefik-ha.tmp /var/lib/systemd/random-seed",
                "  fi",
                "  for key in \"$stage\"/ssh_host_*_key; do",
                "    name=${key##*/}",
                "    cp -p \"$key\" \"/etc/ssh/$name.traefik-ha.tmp\" && mv -f \"/etc/ssh/$name.traefik-ha.tmp\" \"/etc/ssh/$name\"",
                "    cp -p \"$key.pub\" \"/etc/ssh/$name.pub.traefik-ha.tmp\" && mv -f \"/etc/ssh/$name.pub.traefik-ha.tmp\" \"/etc/ssh/$name.pub\"",
                "    chmod 644 \"/etc/ssh/$name.pub\"",
                "  done",
                "fi",
                "/usr/sbin/sshd -t",
                // socket-activated sshd starts afresh for each connection and reads the new keys then
                "systemctl is-active --quiet ssh.socket 2>/dev/null || systemctl reload ssh",
                "rm -rf \"$stage\"",
                "");
    }
}
