package io.traefikha.simulator.proxmox;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Proxmox VE 8's access control (user.cfg) as pve-access-control computes it: users, API tokens with or without
 * privilege separation, groups, pools, the built-in roles with their real privilege lists, custom roles, and ACLs
 * on a path tree that propagate downwards.
 *
 * <p>Effective privileges follow {@code PVE::AccessControl::roles} and {@code PVE::RPCEnvironment::permissions}:
 * the ACL paths that are the checked path or above it are visited from the top; at each level an entry for the
 * token replaces what was found above, else one for the user, else the union of the user's groups; an entry above
 * the checked path counts only when it propagates. {@code NoAccess} wins. A pool's roles reach the guests and
 * storages in it (never overriding NoAccess). A token without privilege separation has its user's privileges; a
 * privilege-separated one has its own ACLs' privileges, intersected with its user's (except for root@pam's
 * tokens). root@pam itself has every privilege. Methods are named after the {@code pveum} commands.
 */
public final class PveAccess {

    public static final String ROOT = "root@pam";

    /** pve-access-control's $privgroups (stable-bookworm, PVE 8): per category root, admin, user and audit privileges. */
    private record PrivGroup(String category, List<String> root, List<String> admin, List<String> user, List<String> audit) {
    }

    private static final List<PrivGroup> PRIV_GROUPS = List.of(
            new PrivGroup("VM", List.of(),
                    List.of("VM.Config.Disk", "VM.Config.CPU", "VM.Config.Memory", "VM.Config.Network", "VM.Config.HWType",
                            "VM.Config.Options", "VM.Allocate", "VM.Clone", "VM.Migrate", "VM.Monitor", "VM.Snapshot",
                            "VM.Snapshot.Rollback"),
                    List.of("VM.Config.CDROM", "VM.Config.Cloudinit", "VM.Console", "VM.Backup", "VM.PowerMgmt"),
                    List.of("VM.Audit")),
            new PrivGroup("Sys", List.of("Sys.PowerMgmt", "Sys.Modify", "Sys.Incoming", "Sys.AccessNetwork"),
                    List.of("Sys.Console", "Sys.Syslog"), List.of(), List.of("Sys.Audit")),
            new PrivGroup("Datastore", List.of(), List.of("Datastore.Allocate", "Datastore.AllocateTemplate"),
                    List.of("Datastore.AllocateSpace"), List.of("Datastore.Audit")),
            new PrivGroup("SDN", List.of(), List.of("SDN.Allocate", "SDN.Audit"), List.of("SDN.Use"), List.of("SDN.Audit")),
            new PrivGroup("User", List.of("Realm.Allocate"), List.of("User.Modify", "Group.Allocate", "Realm.AllocateUser"),
                    List.of(), List.of()),
            new PrivGroup("Pool", List.of(), List.of("Pool.Allocate"), List.of("Pool.Audit"), List.of("Pool.Audit")),
            new PrivGroup("Mapping", List.of(), List.of("Mapping.Modify"), List.of("Mapping.Use"), List.of("Mapping.Audit")));

    /** Every privilege PVE 8 knows; Permissions.Modify belongs to no group. */
    public static final Set<String> ALL_PRIVILEGES;
    /** The built-in roles (special roles: cannot be changed). */
    public static final Map<String, Set<String>> BUILT_IN_ROLES;

    static {
        Set<String> valid = new TreeSet<>(Set.of("Permissions.Modify"));
        Map<String, Set<String>> roles = new TreeMap<>();
        roles.put("NoAccess", Set.of());
        for (PrivGroup group : PRIV_GROUPS) {
            valid.addAll(group.root());
            valid.addAll(group.admin());
            valid.addAll(group.user());
            valid.addAll(group.audit());
            for (List<String> privs : List.of(group.admin(), group.user(), group.audit())) {
                roles.computeIfAbsent("PVE" + group.category() + "Admin", r -> new TreeSet<>()).addAll(privs);
                roles.computeIfAbsent("PVEAdmin", r -> new TreeSet<>()).addAll(privs);
            }
            if (!group.user().isEmpty()) {
                Set<String> user = roles.computeIfAbsent("PVE" + group.category() + "User", r -> new TreeSet<>());
                user.addAll(group.user());
                user.addAll(group.audit());
            }
            roles.computeIfAbsent("PVEAuditor", r -> new TreeSet<>()).addAll(group.audit());
        }
        // only Administrator, root@pam and PVEMappingAdmin may change mappings
        roles.get("PVEAdmin").remove("Mapping.Modify");
        roles.put("PVETemplateUser", Set.of("VM.Clone", "VM.Audit"));
        roles.put("Administrator", valid);
        roles.replaceAll((name, privs) -> Set.copyOf(privs));
        ALL_PRIVILEGES = Set.copyOf(valid);
        BUILT_IN_ROLES = Map.copyOf(roles);
    }

    private static final List<String> TOP_LEVEL_PATHS = List.of("/", "/access", "/access/groups", "/nodes", "/pool", "/sdn",
            "/storage", "/vms");

    private enum Kind { USER, GROUP, TOKEN }

    private record Subject(Kind kind, String id) {
    }

    private final Map<String, Set<String>> customRoles = new TreeMap<>();
    /** userid -> token id (the part after '!') -> privilege separation. */
    private final Map<String, Map<String, Boolean>> users = new TreeMap<>();
    /** Full token id -> secret. */
    private final Map<String, String> secrets = new HashMap<>();
    private final Map<String, Set<String>> groups = new TreeMap<>();
    /** path -> subject -> role -> propagate. */
    private final Map<String, Map<Subject, Map<String, Boolean>>> acl = new TreeMap<>();
    private final Map<String, Set<Integer>> poolVms = new TreeMap<>();
    private final Map<String, Set<String>> poolStorages = new TreeMap<>();

    PveAccess() {
        users.put(ROOT, new TreeMap<>());
    }

    // ---- pveum ----

    /** pveum role add ROLE -privs "A,B": refuses an unknown privilege as PVE does ("invalid privilege 'X'"). */
    public synchronized void roleAdd(String roleid, String privs) {
        if (BUILT_IN_ROLES.containsKey(roleid) || customRoles.containsKey(roleid)) {
            throw new IllegalArgumentException("role '" + roleid + "' already exists");
        }
        customRoles.put(roleid, parsePrivileges(privs));
    }

    /** pveum role modify ROLE -privs "..." (replacing, or with append adding to what the role has). */
    public synchronized void roleModify(String roleid, String privs, boolean append) {
        if (BUILT_IN_ROLES.containsKey(roleid)) {
            throw new IllegalArgumentException("cannot modify special role '" + roleid + "'");
        }
        Set<String> existing = customRoles.get(roleid);
        if (existing == null) {
            throw new IllegalArgumentException("role '" + roleid + "' does not exist");
        }
        Set<String> parsed = parsePrivileges(privs);
        if (append) {
            existing.addAll(parsed);
        } else {
            customRoles.put(roleid, parsed);
        }
    }

    /** pveum user add USERID (user@realm). */
    public synchronized void userAdd(String userid) {
        if (!userid.matches("[^\\s:/@]+@[A-Za-z][A-Za-z0-9.\\-_]+")) {
            throw new IllegalArgumentException("value '" + userid + "' does not look like a valid user name");
        }
        if (users.putIfAbsent(userid, new TreeMap<>()) != null) {
            throw new IllegalArgumentException("user '" + userid + "' already exists");
        }
    }

    public synchronized boolean userExists(String userid) {
        return users.containsKey(userid);
    }

    /** pveum user token add USERID TOKENID --privsep 0|1; returns the full token id. The secret is {@code secret}. */
    public synchronized String tokenAdd(String userid, String tokenid, boolean privsep, String secret) {
        Map<String, Boolean> tokens = users.get(userid);
        if (tokens == null) {
            throw new IllegalArgumentException("user '" + userid + "' does not exist");
        }
        if (!tokenid.matches("[A-Za-z][A-Za-z0-9.\\-_]+")) {
            throw new IllegalArgumentException("invalid token id '" + tokenid + "'");
        }
        if (tokens.putIfAbsent(tokenid, privsep) != null) {
            throw new IllegalArgumentException("Token already exists.");
        }
        secrets.put(userid + "!" + tokenid, secret);
        return userid + "!" + tokenid;
    }

    /** As {@link #tokenAdd(String, String, boolean, String)} with a fresh UUID secret, shown once as pveum does. */
    public String tokenAdd(String userid, String tokenid, boolean privsep) {
        return tokenAdd(userid, tokenid, privsep, UUID.randomUUID().toString());
    }

    public synchronized String tokenSecret(String fullTokenId) {
        return secrets.get(fullTokenId);
    }

    public synchronized void groupAdd(String group) {
        groups.putIfAbsent(group, new TreeSet<>());
    }

    /** pveum user modify USERID -groups G (adding). */
    public synchronized void userJoinGroup(String userid, String group) {
        requireUser(userid);
        Set<String> members = groups.get(group);
        if (members == null) {
            throw new IllegalArgumentException("group '" + group + "' does not exist");
        }
        members.add(userid);
    }

    /** pveum acl modify PATH -users USERID -roles ROLE [-propagate 0]. */
    public void aclModifyUser(String path, String userid, String roleid, boolean propagate) {
        aclModify(path, new Subject(Kind.USER, userid), roleid, propagate);
    }

    /** pveum acl modify PATH -tokens 'USER@REALM!TOKEN' -roles ROLE [-propagate 0]. */
    public void aclModifyToken(String path, String tokenid, String roleid, boolean propagate) {
        aclModify(path, new Subject(Kind.TOKEN, tokenid), roleid, propagate);
    }

    /** pveum acl modify PATH -groups GROUP -roles ROLE [-propagate 0]. */
    public void aclModifyGroup(String path, String group, String roleid, boolean propagate) {
        aclModify(path, new Subject(Kind.GROUP, group), roleid, propagate);
    }

    /** pveum pool add POOL; then members with poolAddVm / poolAddStorage. */
    public synchronized void poolAdd(String pool) {
        poolVms.putIfAbsent(pool, new TreeSet<>());
        poolStorages.putIfAbsent(pool, new TreeSet<>());
    }

    public synchronized void poolAddVm(String pool, int vmid) {
        requirePool(pool).add(vmid);
    }

    public synchronized void poolAddStorage(String pool, String storage) {
        requirePool(pool);
        poolStorages.get(pool).add(storage);
    }

    public synchronized boolean poolExists(String pool) {
        return poolVms.containsKey(pool);
    }

    // ---- what Proxmox computes ----

    /** Whether {@code authid} (user or full token id) authenticates with {@code secret}: tokens only. */
    synchronized boolean authenticates(String authid, String secret) {
        String known = secrets.get(authid);
        return known != null && known.equals(secret) && tokenPrivsep(authid) != null;
    }

    /** pve-access-control's userid_or_token_regex. */
    static boolean validAuthid(String authid) {
        return authid.matches("[^\\s:/]+@[A-Za-z][A-Za-z0-9.\\-_]+(![A-Za-z][A-Za-z0-9.\\-_]+)?");
    }

    /** The owning user of a token id, or the id itself for a user. */
    static String userOf(String authid) {
        int bang = authid.indexOf('!');
        return bang < 0 ? authid : authid.substring(0, bang);
    }

    /** $rpcenv->permissions($authid, $path): privilege -> propagate flag. */
    public synchronized Map<String, Boolean> permissions(String authid, String path) {
        path = normalizePath(path);
        if (authid.equals(ROOT)) {
            return allPrivileges();
        }
        Boolean privsep = tokenPrivsep(authid);
        if (authid.contains("!")) {
            if (privsep == null) {
                return Map.of();
            }
            if (!privsep) {
                return permissions(userOf(authid), path);
            }
        } else if (!users.containsKey(authid)) {
            return Map.of();
        }
        Map<String, Boolean> privs = privilegesOf(withPoolRoles(authid, path, roles(authid, path)));
        String owner = userOf(authid);
        if (authid.contains("!") && !owner.equals(ROOT)) {
            Map<String, Boolean> userPrivs = permissions(owner, path);
            Map<String, Boolean> both = new TreeMap<>();
            privs.forEach((priv, propagate) -> {
                if (userPrivs.containsKey(priv)) {
                    both.put(priv, propagate && userPrivs.get(priv));
                }
            });
            return both;
        }
        return privs;
    }

    public boolean has(String authid, String path, String privilege) {
        return permissions(authid, path).containsKey(privilege);
    }

    /** $rpcenv->check: 403 "Permission check failed (path, privilege)" naming the first privilege missing. */
    void check(String authid, String path, String... privileges) {
        Map<String, Boolean> perms = permissions(authid, path);
        for (String privilege : privileges) {
            if (!perms.containsKey(privilege)) {
                throw forbidden(path + ", " + privilege);
            }
        }
    }

    /** $rpcenv->check_any: one of them suffices; the 403 names them all joined by '|'. */
    void checkAny(String authid, String path, String... privileges) {
        if (!hasAny(authid, path, privileges)) {
            throw forbidden(path + ", " + String.join("|", privileges));
        }
    }

    boolean hasAny(String authid, String path, String... privileges) {
        Map<String, Boolean> perms = permissions(authid, path);
        return Arrays.stream(privileges).anyMatch(perms::containsKey);
    }

    /** $rpcenv->check_vm_perm: the pool's ACL (when given) or the guest's. */
    void checkVm(String authid, int vmid, String pool, String... privileges) {
        if (pool != null && permissions(authid, "/pool/" + pool).keySet().containsAll(List.of(privileges))) {
            return;
        }
        check(authid, "/vms/" + vmid, privileges);
    }

    static PveError forbidden(String what) {
        return PveError.status(403, "Permission check failed (" + what + ")");
    }

    /** GET /access/permissions without a path: every top-level, ACL and pool member path where something is granted. */
    public synchronized Map<String, Map<String, Integer>> effectivePermissions(String authid) {
        Set<String> paths = new TreeSet<>(TOP_LEVEL_PATHS);
        paths.addAll(acl.keySet());
        poolVms.values().forEach(vmids -> vmids.forEach(vmid -> paths.add("/vms/" + vmid)));
        poolStorages.values().forEach(ids -> ids.forEach(id -> paths.add("/storage/" + id)));
        Map<String, Map<String, Integer>> result = new TreeMap<>();
        for (String path : paths) {
            Map<String, Integer> privs = asFlags(permissions(authid, path));
            if (!privs.isEmpty()) {
                result.put(path, privs);
            }
        }
        return result;
    }

    /** GET /access/permissions?path=P: that path alone (present even when empty, as PVE answers). */
    public Map<String, Map<String, Integer>> permissionsAt(String authid, String path) {
        return Map.of(path, asFlags(permissions(authid, path)));
    }

    /** A deleted guest loses its ACLs and pool membership (PVE::AccessControl::remove_vm_access). */
    synchronized void removeVmAccess(int vmid) {
        acl.remove("/vms/" + vmid);
        poolVms.values().forEach(vmids -> vmids.remove(vmid));
    }

    // ---- internals ----

    private void aclModify(String path, Subject subject, String roleid, boolean propagate) {
        synchronized (this) {
            if (!roleExists(roleid)) {
                throw new IllegalArgumentException("role '" + roleid + "' does not exist");
            }
            switch (subject.kind()) {
                case USER -> requireUser(subject.id());
                case TOKEN -> {
                    if (tokenPrivsep(subject.id()) == null) {
                        throw new IllegalArgumentException("no such token '" + subject.id() + "'");
                    }
                }
                case GROUP -> {
                    if (!groups.containsKey(subject.id())) {
                        throw new IllegalArgumentException("group '" + subject.id() + "' does not exist");
                    }
                }
                default -> throw new IllegalStateException(subject.kind().name());
            }
            acl.computeIfAbsent(normalizePath(path), p -> new LinkedHashMap<>())
                    .computeIfAbsent(subject, s -> new TreeMap<>()).put(roleid, propagate);
        }
    }

    /** PVE::AccessControl::roles for a user or a privilege-separated token: role -> propagate. */
    private Map<String, Boolean> roles(String authid, String path) {
        Map<String, Boolean> roles = new TreeMap<>();
        boolean token = authid.contains("!");
        for (Map.Entry<String, Map<Subject, Map<String, Boolean>>> level : acl.entrySet()) {
            String p = level.getKey();
            boolean last = p.equals(path);
            if (!(p.equals("/") || last || path.startsWith(p + "/"))) {
                continue;
            }
            Map<String, Boolean> found = token
                    ? applicable(level.getValue().get(new Subject(Kind.TOKEN, authid)), last)
                    : applicable(level.getValue().get(new Subject(Kind.USER, authid)), last);
            if (found == null && !token) {
                for (Map.Entry<Subject, Map<String, Boolean>> entry : level.getValue().entrySet()) {
                    Subject subject = entry.getKey();
                    if (subject.kind() == Kind.GROUP && groups.getOrDefault(subject.id(), Set.of()).contains(authid)) {
                        Map<String, Boolean> groupRoles = applicable(entry.getValue(), last);
                        if (groupRoles != null) {
                            found = found == null ? new TreeMap<>() : found;
                            found.putAll(groupRoles);
                        }
                    }
                }
            }
            if (found != null) {
                roles = found; // a deeper level replaces what was found above
            }
        }
        return roles.containsKey("NoAccess") ? Map.of("NoAccess", roles.get("NoAccess")) : roles;
    }

    /** The roles of one ACL entry that apply at this level: all on the path itself, only propagating ones above it. */
    private static Map<String, Boolean> applicable(Map<String, Boolean> entry, boolean last) {
        if (entry == null) {
            return null;
        }
        Map<String, Boolean> applied = new TreeMap<>();
        entry.forEach((role, propagate) -> {
            if (last || propagate) {
                applied.put(role, propagate);
            }
        });
        return applied.isEmpty() ? null : applied;
    }

    /** Roles a guest or storage inherits from the pools it is in, never propagating and never beating NoAccess. */
    private Map<String, Boolean> withPoolRoles(String authid, String path, Map<String, Boolean> roles) {
        Set<String> fromPools = new TreeSet<>();
        for (String pool : poolVms.keySet()) {
            boolean member = poolVms.get(pool).stream().anyMatch(vmid -> path.equals("/vms/" + vmid))
                    || poolStorages.get(pool).stream().anyMatch(id -> path.equals("/storage/" + id));
            if (member) {
                fromPools.addAll(roles(authid, "/pool/" + pool).keySet());
            }
        }
        if (fromPools.isEmpty() || roles.containsKey("NoAccess")) {
            return roles;
        }
        if (fromPools.contains("NoAccess")) {
            return Map.of("NoAccess", false);
        }
        Map<String, Boolean> merged = new TreeMap<>(roles);
        fromPools.forEach(role -> merged.putIfAbsent(role, false));
        return merged;
    }

    private Map<String, Boolean> privilegesOf(Map<String, Boolean> roles) {
        Map<String, Boolean> privs = new TreeMap<>();
        roles.forEach((role, propagate) -> rolePrivileges(role)
                .forEach(priv -> privs.merge(priv, propagate, Boolean::logicalOr)));
        return privs;
    }

    private Set<String> rolePrivileges(String role) {
        Set<String> builtIn = BUILT_IN_ROLES.get(role);
        return builtIn != null ? builtIn : customRoles.getOrDefault(role, Set.of());
    }

    private boolean roleExists(String role) {
        return BUILT_IN_ROLES.containsKey(role) || customRoles.containsKey(role);
    }

    /** null when there is no such token. */
    private Boolean tokenPrivsep(String tokenid) {
        int bang = tokenid.indexOf('!');
        if (bang < 0) {
            return null;
        }
        return users.getOrDefault(tokenid.substring(0, bang), Map.of()).get(tokenid.substring(bang + 1));
    }

    private void requireUser(String userid) {
        if (!users.containsKey(userid)) {
            throw new IllegalArgumentException("user '" + userid + "' does not exist");
        }
    }

    private Set<Integer> requirePool(String pool) {
        Set<Integer> vms = poolVms.get(pool);
        if (vms == null) {
            throw new IllegalArgumentException("pool '" + pool + "' does not exist");
        }
        return vms;
    }

    private static Set<String> parsePrivileges(String privs) {
        Set<String> parsed = new TreeSet<>();
        for (String priv : privs.split("[,;\\s]+")) {
            if (priv.isEmpty()) {
                continue;
            }
            if (!ALL_PRIVILEGES.contains(priv)) {
                throw new IllegalArgumentException("invalid privilege '" + priv + "'");
            }
            parsed.add(priv);
        }
        return parsed;
    }

    private static Map<String, Boolean> allPrivileges() {
        Map<String, Boolean> all = new TreeMap<>();
        ALL_PRIVILEGES.forEach(priv -> all.put(priv, true));
        return all;
    }

    private static Map<String, Integer> asFlags(Map<String, Boolean> privs) {
        return privs.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue() ? 1 : 0,
                (a, b) -> a, TreeMap::new));
    }

    /** PVE's normalize_path: one slash between parts, none at the end. */
    static String normalizePath(String path) {
        String collapsed = ("/" + path).replaceAll("/+", "/");
        return collapsed.length() > 1 && collapsed.endsWith("/") ? collapsed.substring(0, collapsed.length() - 1) : collapsed;
    }
}
