package io.traefikha.simulator.proxmox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The simulator's access control against what pve-access-control computes: the built-in roles' privilege lists,
 * propagation down the path tree, deeper ACLs replacing higher ones, NoAccess, groups, pools, and privilege
 * separation intersecting a token's ACLs with its user's.
 */
class PveAccessTest {

    private static final String USER = "traefikha@pve";
    private static final String TOKEN = USER + "!operator";

    private final PveAccess access = new PveAccess();

    @Test
    void builtInRolesCarryPve8sPrivilegeLists() {
        assertThat(PveAccess.BUILT_IN_ROLES.get("PVEVMAdmin")).containsExactlyInAnyOrder("VM.Config.Disk", "VM.Config.CPU",
                "VM.Config.Memory", "VM.Config.Network", "VM.Config.HWType", "VM.Config.Options", "VM.Allocate", "VM.Clone",
                "VM.Migrate", "VM.Monitor", "VM.Snapshot", "VM.Snapshot.Rollback", "VM.Config.CDROM", "VM.Config.Cloudinit",
                "VM.Console", "VM.Backup", "VM.PowerMgmt", "VM.Audit");
        assertThat(PveAccess.BUILT_IN_ROLES.get("PVEVMUser")).containsExactlyInAnyOrder("VM.Config.CDROM", "VM.Config.Cloudinit",
                "VM.Console", "VM.Backup", "VM.PowerMgmt", "VM.Audit");
        assertThat(PveAccess.BUILT_IN_ROLES.get("PVEDatastoreUser")).containsExactlyInAnyOrder("Datastore.AllocateSpace",
                "Datastore.Audit");
        assertThat(PveAccess.BUILT_IN_ROLES.get("PVESDNUser")).containsExactlyInAnyOrder("SDN.Use", "SDN.Audit");
        assertThat(PveAccess.BUILT_IN_ROLES.get("PVEAuditor")).containsExactlyInAnyOrder("VM.Audit", "Sys.Audit",
                "Datastore.Audit", "SDN.Audit", "Pool.Audit", "Mapping.Audit");
        assertThat(PveAccess.BUILT_IN_ROLES.get("PVESysAdmin")).containsExactlyInAnyOrder("Sys.Console", "Sys.Syslog", "Sys.Audit");
        assertThat(PveAccess.BUILT_IN_ROLES.get("PVETemplateUser")).containsExactlyInAnyOrder("VM.Clone", "VM.Audit");
        assertThat(PveAccess.BUILT_IN_ROLES.get("PVEAdmin")).as("root-only and mapping changes are Administrator's")
                .contains("VM.Allocate", "Sys.Console", "Datastore.Allocate", "SDN.Use", "User.Modify", "Pool.Allocate")
                .doesNotContain("Sys.Modify", "Sys.PowerMgmt", "Sys.Incoming", "Sys.AccessNetwork", "Realm.Allocate",
                        "Mapping.Modify", "Permissions.Modify");
        assertThat(PveAccess.BUILT_IN_ROLES.get("Administrator")).isEqualTo(PveAccess.ALL_PRIVILEGES)
                .contains("Permissions.Modify", "Sys.Modify");
        assertThat(PveAccess.BUILT_IN_ROLES.get("NoAccess")).isEmpty();
        assertThat(PveAccess.BUILT_IN_ROLES).containsKeys("PVEDatastoreAdmin", "PVESDNAdmin", "PVEUserAdmin", "PVEPoolAdmin",
                "PVEPoolUser", "PVEMappingAdmin", "PVEMappingUser");
    }

    @Test
    void aRoleWithAnUnknownPrivilegeIsRefusedAsPveumDoes() {
        assertThatThrownBy(() -> access.roleAdd("Broken", "VM.Audit,VM.Teleport"))
                .hasMessage("invalid privilege 'VM.Teleport'");
        assertThatThrownBy(() -> access.roleModify("PVEVMAdmin", "VM.Audit", true)).hasMessageContaining("special role");
    }

    @Test
    void anAclPropagatesDownThePathTreeOnlyWhenItSaysSo() {
        access.userAdd(USER);
        access.aclModifyUser("/vms", USER, "PVEVMUser", true);
        access.aclModifyUser("/storage", USER, "PVEDatastoreUser", false);
        assertThat(access.permissions(USER, "/vms/110")).containsEntry("VM.PowerMgmt", true);
        assertThat(access.permissions(USER, "/vms")).containsKey("VM.PowerMgmt");
        assertThat(access.permissions(USER, "/")).isEmpty();
        assertThat(access.permissions(USER, "/storage")).as("on the path itself").containsEntry("Datastore.AllocateSpace", false);
        assertThat(access.permissions(USER, "/storage/local-lvm")).as("not propagated").isEmpty();
        assertThat(access.permissions(USER, "/vmsx/1")).as("a sibling that only shares a prefix").isEmpty();
    }

    @Test
    void aDeeperAclReplacesWhatWasGrantedAboveAndNoAccessWins() {
        access.userAdd(USER);
        access.aclModifyUser("/", USER, "PVEVMAdmin", true);
        access.aclModifyUser("/vms/111", USER, "PVEAuditor", true);
        access.aclModifyUser("/vms/112", USER, "NoAccess", true);
        assertThat(access.permissions(USER, "/vms/110")).containsKeys("VM.Clone", "VM.Allocate");
        assertThat(access.permissions(USER, "/vms/111")).containsOnlyKeys("VM.Audit", "Sys.Audit", "Datastore.Audit",
                "SDN.Audit", "Pool.Audit", "Mapping.Audit");
        assertThat(access.permissions(USER, "/vms/112")).isEmpty();
    }

    @Test
    void aPrivilegeSeparatedTokenHasTheIntersectionOfItsAclsAndItsUsers() {
        access.userAdd(USER);
        access.aclModifyUser("/", USER, "PVEVMAdmin", true);
        access.tokenAdd(USER, "operator", true, "secret");
        assertThat(access.permissions(TOKEN, "/vms/110")).as("no ACL of its own: nothing").isEmpty();
        access.aclModifyToken("/", TOKEN, "Administrator", true);
        Map<String, Boolean> privileges = access.permissions(TOKEN, "/vms/110");
        assertThat(privileges).containsKeys("VM.Clone", "VM.Migrate").doesNotContainKey("Sys.Modify");
        assertThat(privileges).isEqualTo(access.permissions(USER, "/vms/110"));
        access.aclModifyToken("/vms/110", TOKEN, "PVEAuditor", true);
        assertThat(access.permissions(TOKEN, "/vms/110")).as("the token's own deeper ACL").containsOnlyKeys("VM.Audit");
    }

    @Test
    void aTokenWithoutSeparationHasItsUsersPrivileges() {
        access.userAdd(USER);
        access.aclModifyUser("/nodes", USER, "PVEAuditor", true);
        access.tokenAdd(USER, "operator", false, "secret");
        assertThat(access.permissions(TOKEN, "/nodes/proxmox")).containsKey("Sys.Audit");
        assertThat(access.permissions(USER + "!missing", "/nodes/proxmox")).isEmpty();
    }

    @Test
    void rootHasEverythingAndItsSeparatedTokensOnlyTheirOwnAcls() {
        access.tokenAdd(PveAccess.ROOT, "full", false, "a");
        access.tokenAdd(PveAccess.ROOT, "narrow", true, "b");
        access.aclModifyToken("/vms", PveAccess.ROOT + "!narrow", "PVEVMUser", true);
        assertThat(access.permissions(PveAccess.ROOT, "/anything").keySet()).isEqualTo(PveAccess.ALL_PRIVILEGES);
        assertThat(access.permissions(PveAccess.ROOT + "!full", "/sdn/zones/localnetwork/vmbr0")).containsKey("SDN.Use");
        assertThat(access.permissions(PveAccess.ROOT + "!narrow", "/vms/110").keySet())
                .isEqualTo(PveAccess.BUILT_IN_ROLES.get("PVEVMUser"));
    }

    @Test
    void groupsGrantUnlessTheUserHasAnAclAtThatLevel() {
        access.userAdd(USER);
        access.groupAdd("admins");
        access.userJoinGroup(USER, "admins");
        access.aclModifyGroup("/", "admins", "PVEVMAdmin", true);
        assertThat(access.permissions(USER, "/vms/110")).containsKey("VM.Migrate");
        access.aclModifyUser("/", USER, "PVEAuditor", true);
        assertThat(access.permissions(USER, "/vms/110")).as("user entries override group entries")
                .doesNotContainKey("VM.Migrate").containsKey("VM.Audit");
    }

    @Test
    void aPoolsAclReachesItsMembersWithoutBeatingNoAccess() {
        access.userAdd(USER);
        access.poolAdd("traefik");
        access.poolAddVm("traefik", 110);
        access.poolAddVm("traefik", 111);
        access.poolAddStorage("traefik", "local-lvm");
        access.aclModifyUser("/pool/traefik", USER, "PVEVMAdmin", true);
        access.aclModifyUser("/vms/111", USER, "NoAccess", true);
        assertThat(access.permissions(USER, "/vms/110")).containsEntry("VM.Clone", false);
        assertThat(access.permissions(USER, "/vms/112")).isEmpty();
        assertThat(access.permissions(USER, "/vms/111")).isEmpty();
        access.removeVmAccess(110);
        assertThat(access.permissions(USER, "/vms/110")).as("a destroyed guest leaves its pool").isEmpty();
    }

    @Test
    void effectivePermissionsListTheTopLevelAndAclPathsWithPropagateFlags() {
        access.userAdd(USER);
        access.roleAdd("TraefikHA", "VM.Audit,VM.Clone");
        access.aclModifyUser("/", USER, "TraefikHA", true);
        access.aclModifyUser("/storage/local-lvm", USER, "PVEDatastoreUser", false);
        Map<String, Map<String, Integer>> all = access.effectivePermissions(USER);
        assertThat(all.get("/")).isEqualTo(Map.of("VM.Audit", 1, "VM.Clone", 1));
        assertThat(all.get("/vms")).isEqualTo(Map.of("VM.Audit", 1, "VM.Clone", 1));
        assertThat(all.get("/storage/local-lvm")).isEqualTo(Map.of("Datastore.AllocateSpace", 0, "Datastore.Audit", 0));
        assertThat(all).doesNotContainKey("/vms/110");
        assertThat(access.permissionsAt(USER, "/vms/110")).isEqualTo(Map.of("/vms/110", Map.of("VM.Audit", 1, "VM.Clone", 1)));
    }

    @Test
    void checksNameThePathAndTheFirstMissingPrivilege() {
        access.userAdd(USER);
        access.aclModifyUser("/", USER, "PVEAuditor", true);
        assertThatThrownBy(() -> access.check(USER, "/vms/110", "VM.Audit", "VM.Clone"))
                .isInstanceOfSatisfying(PveError.class, e -> assertThat(e.status).isEqualTo(403))
                .hasMessage("Permission check failed (/vms/110, VM.Clone)");
        assertThatThrownBy(() -> access.checkAny(USER, "/storage/local", "Datastore.AllocateSpace", "Datastore.Allocate"))
                .hasMessage("Permission check failed (/storage/local, Datastore.AllocateSpace|Datastore.Allocate)");
        access.check(USER, "/vms/110", "VM.Audit");
    }
}
