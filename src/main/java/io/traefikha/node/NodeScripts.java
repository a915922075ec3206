package io.traefikha.node;

import io.traefikha.domain.LsyncdFacts;
import io.traefikha.domain.FileEntry;
import io.traefikha.domain.LoadedRouters;
import io.traefikha.domain.RemoteFile;
import io.traefikha.sync.FileTree;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import io.traefikha.domain.Shell;
import io.traefikha.keepalived.TraefikHealth;

/** The shell scripts the SSH session sends. Pure text builders, so they can be read and tested without a node. */
final class NodeScripts {

    /** A Debian 12 container's PATH; keepalived's and sshd's environments differ, so every script sets it. */
    static final String PATH_LINE = "export LC_ALL=C PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /** Where detached commands ({@link #startJob}) report; under /run, so nothing stale survives a reboot. */
    static final String JOB_DIR = "/run/traefik-ha";
    static final String JOB_STATE = JOB_DIR + "/job";
    static final String JOB_LOG = "/var/log/traefik-ha-job.log";

    private static final Pattern DEBIAN_PACKAGE = Pattern.compile("^[a-z0-9][a-z0-9+.-]+$");

    private NodeScripts() {
    }

    /**
     * Preflight on the primary, read-only ({@link PrimaryCheckReport} reads its output): whether iputils' arping is
     * there, the init's effective capabilities, and for each address whether the interface has it itself or, by
     * duplicate address detection ({@code arping -D}: probes from 0.0.0.0, so no neighbour learns anything and nothing
     * is claimed; exit 1 when someone answered), who answers for it. An IPv6 address (canonical) is asked by neighbour
     * discovery instead: its neighbour entry is dropped, one packet to it ({@code ping -6}, or a TCP SYN by curl where
     * there is no ping) solicits it afresh, and a link-layer address in the entry then is the host that answered (even
     * one that drops the packet); the same "rc" as arping's.
     * The addresses are probed in parallel: each takes up to two seconds when free.
     */
    static String checkPrimary(String iface, List<String> addresses) {
        String list = addresses.stream().map(Shell::quote).collect(Collectors.joining(" "));
        return String.join("\n",
                PATH_LINE,
                "iface=" + Shell.quote(iface),
                // Habets' arping (package arping) takes other options: -D means something else there
                "if arping -V 2>&1 | grep -q iputils; then arping=iputils; else arping=missing; fi",
                "echo \"arping=$arping\"",
                "sed -n 's/^CapEff:[[:space:]]*/capeff=/p' /proc/1/status 2>/dev/null",
                "probe() {",
                "  if ip -o -4 addr show dev \"$iface\" 2>/dev/null | grep -qF \" inet $1/\"; then echo \"addr $1 here\"; return; fi",
                "  out=$(arping -D -c 2 -w 3 -I \"$iface\" \"$1\" 2>&1); rc=$?",
                "  mac=$(printf '%s\\n' \"$out\" | sed -n 's/.*reply from [^ ]* \\[\\([0-9A-Fa-f:]*\\)\\].*/\\1/p' | head -n 1)",
                "  echo \"addr $1 rc=$rc mac=$mac out=$(printf '%s' \"$out\" | tr '\\n' ' ')\"",
                "}",
                "probe6() {",
                "  if ip -o -6 addr show dev \"$iface\" 2>/dev/null | grep -qF \" inet6 $1/\"; then echo \"addr $1 here\"; return; fi",
                "  ip -6 neigh del \"$1\" dev \"$iface\" 2>/dev/null",
                // any packet to it solicits its neighbour entry: ping where there is one, else a TCP SYN by curl
                "  if command -v ping >/dev/null 2>&1; then",
                "    out=$(ping -6 -n -c 1 -W 1 -I \"$iface\" \"$1\" 2>&1); rc=$?",
                "    case $rc in 0) answer=yes ;; 1) answer=no ;; *) answer=error ;; esac",
                "  else",
                "    out=$(curl -g -sS -o /dev/null -m 1 --interface \"$iface\" \"http://[$1]:9/\" 2>&1); rc=$?",
                "    case $rc in 28) answer=no ;; 0|52|56) answer=yes ;; 7) case $out in *refused*) answer=yes ;;"
                        + " *) answer=error ;; esac ;; *) answer=error ;; esac",
                "  fi",
                "  mac=$(ip -6 neigh show \"$1\" dev \"$iface\" 2>/dev/null | sed -n 's/.* lladdr \\([0-9A-Fa-f:]*\\).*/\\1/p' | head -n 1)",
                // answered on the link (its MAC), answered through a router (no MAC), silent, or no tool could ask
                "  if [ -n \"$mac\" ] || [ $answer = yes ]; then rc=1; elif [ $answer = no ]; then rc=0; else rc=$((rc > 1 ? rc : 2)); fi",
                "  echo \"addr $1 rc=$rc mac=$mac out=$(printf '%s' \"$out\" | tr '\\n' ' ')\"",
                "}",
                "[ \"$arping\" = iputils ] || exit 0",
                "d=$(mktemp -d) || exit 1",
                "i=0",
                "for a in " + list + "; do i=$((i+1)); case $a in *:*) probe6 \"$a\" > \"$d/$i\" & ;; *) probe \"$a\" > \"$d/$i\" & ;; esac; done",
                "wait",
                "cat \"$d\"/* 2>/dev/null",
                "rm -rf \"$d\"");
    }

    /**
     * Reads the new content from stdin into a temporary file next to the target, then replaces the target only when
     * its hash, mode or owner differ, so an unchanged file keeps its mtime. rename() within one directory is atomic:
     * keepalived never reads a half-written file. Prints "changed" or "unchanged".
     */
    static String upload(RemoteFile file) {
        return upload(file, false);
    }

    /**
     * {@link #upload(RemoteFile)}; with {@code keepOriginal}, the first time the file is about to change the node keeps
     * what was there ({@link Originals}), so a rollback can put it back.
     */
    static String upload(RemoteFile file, boolean keepOriginal) {
        String path = Shell.quote(file.path());
        String mode = Integer.toOctalString(file.mode());
        String ownership = file.owner() + ":" + file.group();
        return String.join("\n",
                "set -e",
                PATH_LINE,
                "target=" + path,
                "tmp=\"$(dirname \"$target\")/.$(basename \"$target\").traefik-ha.tmp\"",
                "mkdir -p \"$(dirname \"$target\")\"",
                // created private: it holds the content (a private key, say) before chmod gives it its mode
                "(umask 077 && : > \"$tmp\")",
                "cat > \"$tmp\"",
                "if [ \"$(sha256sum < \"$tmp\" | cut -d' ' -f1)\" != " + file.sha256() + " ]; then",
                "  rm -f \"$tmp\"; echo 'content arrived incomplete' >&2; exit 3",
                "fi",
                "if [ -f \"$target\" ] && [ \"$(sha256sum < \"$target\" | cut -d' ' -f1)\" = " + file.sha256() + " ] \\",
                "    && [ \"$(stat -c '%a %U:%G' \"$target\")\" = '" + mode + " " + ownership + "' ]; then",
                "  rm -f \"$tmp\"; echo unchanged; exit 0",
                "fi",
                keepOriginal ? Originals.keepScript("$target") : "",
                LoadRecords.beforeReplacing(file.path()),
                "chown " + ownership + " \"$tmp\"",
                "chmod " + mode + " \"$tmp\"",
                "mv -f \"$tmp\" \"$target\"",
                "echo changed",
                "");
    }

    /** Installs a Debian package unless dpkg has it; refreshes the package lists once if the first attempt fails. */
    static String ensurePackage(String debianPackage) {
        if (!DEBIAN_PACKAGE.matcher(debianPackage).matches()) {
            throw new IllegalArgumentException("'" + debianPackage + "' is not a Debian package name");
        }
        String install = "apt-get install -y --no-install-recommends " + debianPackage + " >&2";
        return String.join("\n",
                PATH_LINE,
                "export DEBIAN_FRONTEND=noninteractive",
                "if [ \"$(dpkg-query -W -f='${db:Status-Status}' " + debianPackage + " 2>/dev/null)\" = installed ]; then",
                "  echo already-installed; exit 0",
                "fi",
                "{ " + install + " || { apt-get update >&2 && " + install + "; }; } || exit $?",
                "echo installed",
                "");
    }

    /**
     * One script, one round trip: prints {@code key=value} lines that {@link NodeProbeReport#parse} reads. Each value is
     * reduced to its first line so a surprising output cannot inject another key.
     */
    static String probe(ProbeRequest request) {
        String vip = Shell.quote(" " + request.vipAddress() + "/");
        TraefikHealth traefik = request.traefik();
        return String.join("\n",
                PATH_LINE,
                "kv() { printf '%s=%s\\n' \"$1\" \"$(printf '%s' \"$2\" | head -n 1)\"; }",
                "flag() { if \"$@\" >/dev/null 2>&1; then echo true; else echo false; fi; }",
                "kv probe_format " + NodeProbeReport.FORMAT_VERSION,
                "kv hostname \"$(hostname)\"",
                "kv keepalived_installed \"$(flag command -v keepalived)\"",
                "kv keepalived_active \"$(systemctl is-active keepalived 2>/dev/null)\"",
                "kv keepalived_enabled \"$(systemctl is-enabled keepalived 2>/dev/null)\"",
                "kv traefik_active \"$(systemctl is-active -- " + request.traefik().quotedService() + " 2>/dev/null)\"",
                "kv vip_present \"$(ip -o -4 addr show dev " + Shell.quote(request.interfaceName()) + " 2>/dev/null | grep -qF "
                        + vip + " && echo true || echo false)\"",
                // the global IPv6 addresses (an IPv6 VIP among them; DAD failed: not held), as "ADDRESS/PREFIX ..."
                "kv ipv6_addresses \"$(ip -o -6 addr show dev " + Shell.quote(request.interfaceName()) + " scope global"
                        + " 2>/dev/null | awk '!/dadfailed/ { printf \"%s \", $4 }')\"",
                "kv vrrp_state \"$(cut -d' ' -f1 " + Shell.quote(request.stateFile()) + " 2>/dev/null)\"",
                "kv traefik_ping \"$(flag curl -fsS -m 2 -o /dev/null " + traefik.curlArguments(traefik.pingUrl()) + ")\"",
                loadedRouters(traefik),
                traefik.versionUrl() == null ? "" : "kv traefik_version \"$(curl -fsS -m 2 "
                        + traefik.curlArguments(traefik.versionUrl()) + " 2>/dev/null | jq -r '.Version // empty' 2>/dev/null)\"",
                "kv job \"$(cat " + JOB_STATE + " 2>/dev/null)\"",
                managedFileHashes(request.managedFiles()),
                LoadRecords.probeLines(),
                lsyncdFacts(request.syncKeyFile()),
                // in base64 on one line, so no file name can pass for another key; its end mark tells an empty tree from a
                // listing that failed
                "printf '" + NodeProbeReport.TREE + "='",
                listFiles(request.syncPaths(), request.syncExcludes()),
                "echo",
                "");
    }

    /**
     * The HTTP routers Traefik has loaded, from one request to its API (spec.healthCheck.apiUrl, /api/rawdata: every
     * router by name, unpaginated, unlike /api/http/routers) and one jq: their count first (kv keeps that first line);
     * when the API answered, the SHA-256 of the sorted "name TAB status" lines (jq's @tsv escapes tabs and newlines, so
     * one router is one line) and the first {@link LoadedRouters#LISTED_AT_MOST} lines, each cut at 256 bytes, as
     * {@link NodeProbeReport#ROUTER} lines.
     */
    private static String loadedRouters(TraefikHealth traefik) {
        return String.join("\n",
                "routers=$(curl -fsS -m 2 " + traefik.curlArguments(traefik.apiUrl()) + " 2>/dev/null | jq -r '.routers // {}"
                        + " | (length | tostring), (to_entries[] | [.key, (.value.status // \"unknown\")] | @tsv)' 2>/dev/null)",
                "kv router_count \"$routers\"",
                "if [ -n \"$routers\" ]; then",
                "  routers=$(printf '%s\\n' \"$routers\" | sed 1d | sort)",
                "  kv routers_sha256 \"$({ [ -z \"$routers\" ] || printf '%s\\n' \"$routers\"; } | sha256sum | cut -d' ' -f1)\"",
                "  [ -z \"$routers\" ] || printf '%s\\n' \"$routers\" | head -n " + LoadedRouters.LISTED_AT_MOST
                        + " | cut -c1-256 | sed 's/^/" + NodeProbeReport.ROUTER + "/'",
                "fi");
    }

    /** The facts of {@link LsyncdFacts}: packages, service state, host keys and the hash of the sync key lines. */
    private static String lsyncdFacts(String syncKeyFile) {
        String syncKey = syncKeyFile == null ? "" : "kv sync_key_sha256 \"$({ grep -E ' " + LsyncdFacts.SYNC_KEY_COMMENT
                + "[[:space:]]*$' " + Shell.quote(syncKeyFile) + " 2>/dev/null || true; } | sed -E 's/^[[:space:]]+|[[:space:]]+$//g'"
                + " | sha256sum | cut -d' ' -f1)\"";
        return String.join("\n",
                "kv installed_packages \"$(for p in " + String.join(" ", LsyncdFacts.PACKAGES) + "; do"
                        + " [ \"$(dpkg-query -W -f='${db:Status-Status}' $p 2>/dev/null)\" = installed ] && printf '%s ' $p;"
                        + " done)\"",
                "kv lsyncd_active \"$(systemctl is-active lsyncd 2>/dev/null)\"",
                "kv lsyncd_enabled \"$(systemctl is-enabled lsyncd 2>/dev/null)\"",
                "cat /etc/ssh/ssh_host_*_key.pub 2>/dev/null | awk 'NF >= 2 { print \"host_key=\" $1 \" \" $2 }'",
                syncKey);
    }

    /**
     * Starts a command detached from the SSH session (an upgrade may take minutes; the reconcile does not wait for it):
     * the job file says "ID running" at once and "ID exit=N" when it ends, which the probe reports; its output goes to
     * {@link #JOB_LOG}. Prints "started".
     */
    static String startJob(String id, String command) {
        if (!id.matches("[A-Za-z0-9._-]{1,100}")) {
            throw new IllegalArgumentException("'" + id + "' is not a job id");
        }
        String job = String.join("\n",
                PATH_LINE,
                command,
                "rc=$?",
                "printf '%s exit=%s\\n' " + id + " \"$rc\" > " + JOB_STATE + ".tmp && mv -f " + JOB_STATE + ".tmp " + JOB_STATE);
        return String.join("\n",
                PATH_LINE,
                "mkdir -p " + JOB_DIR,
                "printf '%s running\\n' " + id + " > " + JOB_STATE,
                "nohup sh -c " + Shell.quote(job) + " > " + JOB_LOG + " 2>&1 < /dev/null &",
                "echo started",
                "");
    }

    /** One "file_sha256=HASH PATH" line per managed file that exists (paths are checked by RemoteFile's rules). */
    private static String managedFileHashes(List<String> paths) {
        return paths.stream()
                .map(path -> "[ -f " + Shell.quote(path) + " ] && printf 'file_sha256=%s %s\\n' \"$(sha256sum < "
                        + Shell.quote(path) + " | cut -d' ' -f1)\" " + Shell.quote(path) + " || true")
                .collect(Collectors.joining("\n"));
    }

    /** The synced tree as {@link FileTree#parseListing} reads it, in base64: see {@link #listFiles}. */
    static String fileList(List<String> paths, List<String> excludes) {
        return PATH_LINE + "\n" + listFiles(paths, excludes) + "\n";
    }

    /**
     * Every regular file and symlink under the roots (a symlink is listed, never followed; so is a root that is one),
     * excluded names pruned, as NUL-separated fields in base64: the roots, then per entry {@code find -printf}'s type,
     * mode, owner and group (names, or numbers where the node has no name), size, path and link target, then
     * sha256sum's unescaped records of the files, then the end mark. Four processes besides the hashing, however many
     * files; each record names its path, so a file deleted between the two passes drops out instead of shifting others.
     */
    private static String listFiles(List<String> paths, List<String> excludes) {
        String roots = paths.stream().map(Shell::quote).collect(Collectors.joining(" "));
        String find = "find " + roots + " " + prune(excludes);
        return "{ printf '" + FileTree.ROOT + "\\0%s\\0' " + roots + "; "
                + find + "\\( -type f -o -type l \\) -printf '" + FileTree.META + "\\0%y\\0%m\\0%u\\0%g\\0%s\\0%p\\0%l\\0' 2>/dev/null; "
                + "printf '" + FileTree.HASHES + "\\0'; "
                + find + "-type f -print0 2>/dev/null | xargs -0 -r sha256sum -z -- 2>/dev/null; "
                + "printf '" + FileTree.END + "\\0'; } | base64 -w 0";
    }

    /** Deletes a file; succeeds when it is already gone. */
    static String remove(String path) {
        return PATH_LINE + "\nrm -f -- " + Shell.quote(path) + "\n";
    }

    /**
     * Receives a synced file's content on stdin and puts it in place atomically (a temporary file beside it, then
     * rename: Traefik's watcher never reads a half-written file) with the primary's mode and owner. First it checks the
     * free space and prints "ready", or its answer without reading anything (so a file that cannot fit is never sent).
     * The content streams to disk and is checked against the primary's hash before the rename; the temporary file is
     * never left behind. Prints one {@link io.traefikha.sync.SyncWrite} line last; once ready, stdin is read to its end whatever happens,
     * so the sender never stalls.
     */
    static String receiveFile(String root, FileEntry file) {
        String owner = ownership(file);
        return String.join("\n",
                syncTarget(root, file.path(), "[ -n \"${ready:-}\" ] && cat > /dev/null; "),
                "need=" + file.size(),
                "avail() { df -P -B1 -- \"$dir\" 2>/dev/null | awk 'NR == 2 { print $4 }'; }",
                "[ \"$(avail)\" -ge \"$need\" ] 2>/dev/null || finish \"nospace $need $(avail)\"",
                "trap 'rm -f -- \"$tmp\"' EXIT",
                "trap 'exit 1' HUP INT TERM PIPE",
                "rm -f -- \"$tmp\"",
                // created private: it holds the content before chmod gives it its mode
                "(umask 077 && : > \"$tmp\") || finish \"error cannot create a temporary file in the directory\"",
                "ready=1",
                "echo ready",
                "if ! err=$(cat 2>&1 > \"$tmp\"); then",
                "  rm -f -- \"$tmp\"",
                "  case \"$err\" in",
                "    *'No space'*|*'quota'*) finish \"nospace $need $(avail)\" ;;",
                "    *) finish \"error $err\" ;;",
                "  esac",
                "fi",
                // the primary's file changed while it was read: the next round copies the new content
                "[ \"$(sha256sum < \"$tmp\" | cut -c1-64)\" = " + file.sha256() + " ] || finish changed",
                "chown -h -- " + owner + " \"$tmp\" && chmod " + Integer.toOctalString(file.mode()) + " \"$tmp\" \\",
                "    && mv -f -T -- \"$tmp\" \"$target\" || finish \"error cannot put the file in place\"",
                "finish written",
                "");
    }

    /** Streams a synced file's content to stdout. */
    static String readFile(String path) {
        return PATH_LINE + "\nexec cat -- " + Shell.quote(path) + "\n";
    }

    /** Makes the synced symlink (a new link renamed over the old entry) with the primary's owner; prints a {@link io.traefikha.sync.SyncWrite} line. */
    static String writeSymlink(String root, FileEntry link) {
        return String.join("\n",
                syncTarget(root, link.path(), ""),
                "rm -f -- \"$tmp\"",
                "ln -s -- " + Shell.quote(link.linkTarget()) + " \"$tmp\" && chown -h -- " + ownership(link) + " \"$tmp\" \\",
                "    && mv -f -T -- \"$tmp\" \"$target\" || { rm -f -- \"$tmp\"; finish \"error cannot put the link in place\"; }",
                "finish written",
                "");
    }

    /**
     * The start of a sync write: {@code target}, {@code dir} and {@code tmp} set, {@code finish} defined, the directory
     * made. Refuses when the root or a directory between it and the target is a symlink: writing through it would land
     * wherever it points, outside the synced path.
     *
     * @param drain what {@code finish} does first (read stdin to its end, for a write fed on stdin)
     */
    private static String syncTarget(String root, String path, String drain) {
        if (!path.startsWith(root + "/") || path.contains("/../") || path.endsWith("/..") || path.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("'" + path + "' does not lie inside the synced path " + root);
        }
        return String.join("\n",
                PATH_LINE,
                "finish() { " + drain + "printf '%s\\n' \"$1\"; exit 0; }",
                "root=" + Shell.quote(root),
                "target=" + Shell.quote(path),
                "[ -L \"$root\" ] && finish \"refused $root is a symlink\"",
                "d=$root rest=${target#\"$root\"/}",
                "while [ \"${rest#*/}\" != \"$rest\" ]; do",
                "  d=$d/${rest%%/*} rest=${rest#*/}",
                "  [ -L \"$d\" ] && finish \"refused $d is a symlink\"",
                "done",
                "dir=${target%/*}",
                "tmp=$dir/.${target##*/}.traefik-ha.tmp",
                "mkdir -p -- \"$dir\" || finish \"error cannot create the directory\"",
                // a directory the primary has as a file or link, emptied by the deletions before: rename needs it gone
                "[ -d \"$target\" ] && [ ! -L \"$target\" ] && rmdir -- \"$target\" 2>/dev/null");
    }

    /** chown's argument: names, or numbers for an owner the primary has no name for. */
    private static String ownership(FileEntry entry) {
        String ownership = entry.owner() + ":" + entry.group();
        if (!ownership.matches("[A-Za-z0-9._][A-Za-z0-9._-]*:[A-Za-z0-9._][A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException("owner " + ownership + " of " + entry.path() + " is not an account name or id");
        }
        return ownership;
    }

    /** Puts back what {@link Originals} kept; prints what it did, see {@link Originals.Restored}. */
    static String restoreOriginal(String path) {
        return String.join("\n", "set -e", PATH_LINE, "target=" + Shell.quote(path), Originals.restoreScript("$target"), "");
    }

    /** find's pruning of excluded names, like rsync's --exclude (a trailing '/' means a directory). */
    private static String prune(List<String> excludes) {
        return excludes.isEmpty() ? "" : "\\( " + excludes.stream()
                .map(e -> e.endsWith("/") ? "-type d -name " + Shell.quote(e.substring(0, e.length() - 1))
                        : "-name " + Shell.quote(e))
                .collect(Collectors.joining(" -o ")) + " \\) -prune -o ";
    }
}
