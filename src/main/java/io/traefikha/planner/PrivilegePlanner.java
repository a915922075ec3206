package io.traefikha.planner;

import io.traefikha.api.v1alpha1.BackupSpec;
import io.traefikha.api.v1alpha1.DrillScenario;
import io.traefikha.api.v1alpha1.SecondarySpec;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.Role;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Which Proxmox privileges the operator needs, on which ACL path, for the spec's secondaries, as pve-container and
 * pve-firewall check them: the clone (VM.Clone on the primary, VM.Allocate on the new vmid or its pool,
 * Datastore.AllocateSpace on each storage the disks land on, SDN.Use on the bridge), the temporary snapshot or the
 * stop of the primary, the migrations, each secondary's network and options, its power, every container's firewall,
 * and reading them all. Pure: the token's privileges come in as data, and what is missing goes out with the
 * {@code pveum} commands that grant it.
 */
public final class PrivilegePlanner {

    /** The role name the README's commands create. */
    public static final String ROLE = "TraefikHA";

    /** Every privilege the operator may need, whatever the spec: the README's {@code pveum role add} list. */
    public static final List<String> ROLE_PRIVILEGES = List.of("VM.Audit", "VM.Clone", "VM.Allocate", "VM.Snapshot",
            "VM.Migrate", "VM.PowerMgmt", "VM.Config.Network", "VM.Config.Options", "VM.Config.Disk", "VM.Backup",
            "Datastore.AllocateSpace", "SDN.Use", "Sys.Audit");

    private PrivilegePlanner() {
    }

    /**
     * One privilege on one path, and why. {@code alternatives} are further paths where it also suffices (VM.Allocate
     * on the secondary's pool).
     */
    public record Requirement(String path, String privilege, String purpose, List<String> alternatives) {

        public List<String> paths() {
            List<String> all = new ArrayList<>();
            all.add(path);
            all.addAll(alternatives);
            return all;
        }
    }

    /** A requirement the token does not meet, with the commands that meet it. */
    public record Missing(Requirement requirement, String grantCommand) {
        public String describe() {
            return requirement.privilege() + " on " + requirement.path() + " (" + requirement.purpose() + ")";
        }
    }

    /**
     * What the spec's replicas need: the primary's privileges once, each secondary's on its own /vms path and node.
     * {@code primaryStorages} are the storages of the primary's disks as Proxmox reports them (a clone without
     * {@code storage} allocates its disks there).
     */
    public static List<Requirement> required(TraefikHAClusterSpec spec, Set<String> primaryStorages) {
        String p = "/vms/" + spec.primary.vmid;
        List<Role> secondaries = spec.secondaryRoles();
        List<Requirement> all = new ArrayList<>();
        all.add(plain(p, "VM.Audit", "read the primary's state and configuration"));
        for (Role role : secondaries) {
            all.add(plain(vms(spec, role), "VM.Audit", "read the " + role.label() + "'s state and configuration"));
        }
        all.add(plain(p, "VM.Clone", "clone the primary"));
        for (Role role : secondaries) {
            SecondarySpec secondary = spec.secondary(role);
            all.add(new Requirement(vms(spec, role), "VM.Allocate", "create the " + role.label() + " as CT " + secondary.vmid,
                    secondary.pool == null ? List.of() : List.of("/pool/" + secondary.pool)));
        }
        boolean stopsPrimary = secondaries.stream()
                .anyMatch(role -> spec.secondary(role).cloneStrategy == SecondarySpec.CloneStrategy.StopPrimary);
        if (stopsPrimary) {
            all.add(plain(p, "VM.PowerMgmt", "stop the primary for the clone (cloneStrategy StopPrimary)"));
        }
        if (secondaries.stream().anyMatch(role -> spec.secondary(role).cloneStrategy != SecondarySpec.CloneStrategy.StopPrimary)) {
            all.add(plain(p, "VM.Snapshot", "take the temporary snapshot the clone is made from"));
        }
        Map<String, List<Role>> diskOwners = new TreeMap<>();
        for (Role role : secondaries) {
            String storage = spec.secondary(role).storage;
            for (String id : storage != null ? Set.of(storage) : primaryStorages) {
                diskOwners.computeIfAbsent(id, k -> new ArrayList<>()).add(role);
            }
        }
        diskOwners.forEach((storage, roles) -> all.add(plain("/storage/" + storage, "Datastore.AllocateSpace",
                "allocate " + possessive(roles) + " disk on " + storage)));
        all.add(plain("/sdn/zones/localnetwork/" + spec.network.bridge, "SDN.Use",
                "attach " + names(secondaries) + " to bridge " + spec.network.bridge));
        for (Role role : secondaries) {
            SecondarySpec secondary = spec.secondary(role);
            if (!secondary.node.equals(spec.primary.node)) {
                all.add(plain(vms(spec, role), "VM.Migrate", "migrate the " + role.label() + " to node " + secondary.node));
                if (secondary.storage != null && !primaryStorages.contains(secondary.storage)) {
                    // a migration with target-storage (when the storage is not shared; preflight cannot tell before the storage view)
                    all.add(plain(vms(spec, role), "VM.Config.Disk", "move the " + role.label() + "'s disks to "
                            + secondary.storage + " while migrating it"));
                }
            }
        }
        Map<String, List<Role>> byNode = new LinkedHashMap<>();
        secondaries.forEach(role -> byNode.computeIfAbsent(spec.secondary(role).node, k -> new ArrayList<>()).add(role));
        byNode.forEach((node, roles) -> all.add(plain("/nodes/" + node, "Sys.Audit", "read node " + node
                + "'s free memory before " + names(roles) + (roles.size() == 1 ? " goes" : " go") + " there (preflight)")));
        if (spec.backupOrDefault().mode == BackupSpec.Mode.Vzdump) {
            String backupStorage = spec.backupOrDefault().storage;
            all.add(plain(p, "VM.Backup", "back up the primary before the first change"));
            all.add(plain("/storage/" + backupStorage, "Datastore.AllocateSpace", "write the backup to " + backupStorage));
        }
        for (Role role : secondaries) {
            String s = vms(spec, role);
            all.add(plain(s, "VM.Config.Network", "give the " + role.label() + " its own address and hostname"));
            all.add(plain(s, "VM.Config.Options", "mark the " + role.label() + " as the operator's (description, tags, onboot)"));
            all.add(plain(s, "VM.PowerMgmt", "start the " + role.label()));
        }
        if (spec.proxmox.manageFirewall) {
            all.add(plain(p, "VM.Config.Network", "let VRRP and the VIP through the primary's firewall"));
        }
        if (spec.drill != null && spec.drill.scenario == DrillScenario.StopContainer && !stopsPrimary) {
            all.add(plain(p, "VM.PowerMgmt", "stop and start the primary in a StopContainer drill"));
        }
        return all;
    }

    private static String vms(TraefikHAClusterSpec spec, Role role) {
        return "/vms/" + spec.secondary(role).vmid;
    }

    /** "the secondary", or "the secondary and the secondary-2". */
    private static String names(List<Role> roles) {
        return roles.stream().map(role -> "the " + role.label()).collect(Collectors.joining(" and "));
    }

    /** "the secondary's", or "the secondary's and the secondary-2's". */
    private static String possessive(List<Role> roles) {
        return roles.stream().map(role -> "the " + role.label() + "'s").collect(Collectors.joining(" and "));
    }

    private static Requirement plain(String path, String privilege, String purpose) {
        return new Requirement(path, privilege, purpose, List.of());
    }

    /** The paths to ask GET /access/permissions about, each once. */
    public static Set<String> paths(List<Requirement> required) {
        Set<String> paths = new LinkedHashSet<>();
        required.forEach(r -> paths.addAll(r.paths()));
        return paths;
    }

    /**
     * The requirements not met by {@code granted} (path to the privileges the token has there), in order. The
     * command names the token and its user: with privilege separation the token has only what both have.
     */
    public static List<Missing> missing(List<Requirement> required, Map<String, Set<String>> granted, String tokenId) {
        List<Missing> missing = new ArrayList<>();
        for (Requirement requirement : required) {
            boolean met = requirement.paths().stream()
                    .anyMatch(path -> granted.getOrDefault(path, Set.of()).contains(requirement.privilege()));
            if (!met) {
                missing.add(new Missing(requirement, grantCommand(requirement, tokenId)));
            }
        }
        return missing;
    }

    /** Missing privileges grouped by path, for one message a person can act on path by path. */
    public static Map<String, List<Missing>> byPath(List<Missing> missing) {
        Map<String, List<Missing>> grouped = new LinkedHashMap<>();
        missing.forEach(m -> grouped.computeIfAbsent(m.requirement().path(), k -> new ArrayList<>()).add(m));
        return grouped;
    }

    /**
     * {@code pveum role modify TraefikHA --append 1 --privs X} (a no-op when the role has it) and the ACL on the path
     * for both the token and its user.
     */
    static String grantCommand(Requirement requirement, String tokenId) {
        int bang = tokenId.indexOf('!');
        String user = bang < 0 ? tokenId : tokenId.substring(0, bang);
        String subjects = bang < 0 ? "--users " + user : "--users " + user + " --tokens '" + tokenId + "'";
        return "pveum role modify " + ROLE + " --append 1 --privs " + requirement.privilege()
                + " && pveum acl modify " + requirement.path() + " " + subjects + " --roles " + ROLE;
    }
}
