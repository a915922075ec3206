package io.traefikha.node;

import io.traefikha.domain.Shell;
import io.traefikha.keepalived.KeepalivedPaths;
import io.traefikha.sync.LsyncdRenderer;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What keepalived and lsyncd run, as the node remembers it. Right after the operator started, restarted or reloaded one
 * of them successfully, the SHA-256 of the files the daemon read then goes into {@code /var/lib/traefik-ha/<daemon>.loaded}
 * ("HASH PATH" lines), written atomically and readable by root only (keepalived.conf carries the VRRP password; its
 * hash must not be offered to a guesser). A command that fails records nothing; a stop removes the record, and so does
 * an upload of the daemon's configuration, just before the new content replaces the old. The probe
 * reports the records beside the files' hashes, so a configuration written but not taken up (the operator stopped
 * between the write and the reload, or the reload failed) shows on the next look at no extra round trip.
 *
 * <p>Why a record and not the daemon's start time against the file's mtime: a reload (SIGHUP) leaves the start time as
 * it was, an unchanged upload keeps the mtime, and clocks jump. The hashes are taken before the command, and the daemon
 * reads the files after it, so the record can only be older than what runs (one reload too many), never newer. A start
 * of a daemon already running loads nothing and records nothing. Under /var/lib, so a reboot (which starts the daemons
 * from the files on disk) keeps what the record says true.
 */
public final class LoadRecords {

    public static final String DIR = "/var/lib/traefik-ha";
    /** Starts each record line in the probe's report. */
    static final String PROBE_KEY = "loaded_sha256=";
    /** The daemons whose loads are recorded. */
    private static final Map<String, Daemon> DAEMONS = Map.of(
            "keepalived", new Daemon(KeepalivedPaths.CONFIG, KeepalivedPaths.LOADED),
            "lsyncd", new Daemon(LsyncdRenderer.CONFIG_PATH, LsyncdRenderer.LOADED));

    /**
     * @param configuration the file that holds what the daemon does, read only when it loads
     * @param loaded        every file it reads (or vets) when it loads, the configuration among them
     */
    private record Daemon(String configuration, List<String> loaded) {
    }

    private LoadRecords() {
    }

    /** Where the node keeps the record of SERVICE. */
    public static String path(String service) {
        return DIR + "/" + service + ".loaded";
    }

    /**
     * A systemctl command for SERVICE (a plain one for a service without a record); a start, restart or reload that
     * succeeds records what the daemon loaded, a stop removes the record. Exits with systemctl's status.
     */
    static String control(String verb, String service) {
        Daemon daemon = DAEMONS.get(service);
        String systemctl = "systemctl " + verb + " " + service;
        String plain = NodeScripts.PATH_LINE + "\n" + systemctl + "\n";
        if (daemon == null) {
            return plain;
        }
        String record = Shell.quote(path(service));
        return switch (verb) {
            case "stop" -> String.join("\n", NodeScripts.PATH_LINE, systemctl + " || exit $?", forget(service), "");
            case "start", "restart", "reload" -> String.join("\n",
                    NodeScripts.PATH_LINE,
                    // a start of a running daemon loads nothing, so there is nothing to record
                    verb.equals("start") ? "if systemctl is-active --quiet " + service + "; then exit 0; fi" : "",
                    "loaded=\"$(" + hashes(daemon.loaded()) + ")\"",
                    systemctl + " || exit $?",
                    "mkdir -p " + DIR + " && chmod 700 " + DIR,
                    "(umask 077 && printf '%s\\n' \"$loaded\" > " + record + ".tmp) && mv -f " + record + ".tmp " + record,
                    "");
            default -> plain;
        };
    }

    /** Removes the record of SERVICE, and the directory once it holds none (a rollback leaves nothing behind). */
    static String forget(String service) {
        return "rm -f " + Shell.quote(path(service)) + " && { rmdir " + DIR + " 2>/dev/null || true; }";
    }

    /**
     * Prints "inactive" when SERVICE does not run, "current" when its record matches the files on disk now, "stale"
     * otherwise (no record, or files written since it loaded).
     */
    static String state(String service) {
        String record = Shell.quote(path(service));
        return String.join("\n",
                NodeScripts.PATH_LINE,
                "systemctl is-active --quiet " + service + " || { echo inactive; exit 0; }",
                "if [ \"$(" + hashes(DAEMONS.get(service).loaded()) + ")\" = \"$(cat " + record + " 2>/dev/null)\" ]; then echo current;"
                        + " else echo stale; fi",
                "");
    }

    /**
     * Shell lines for an upload, run just before the new content replaces PATH: when PATH is a daemon's configuration,
     * its record goes, since what the daemon runs is no longer known (a hand edit loaded by hand may sit between the
     * record and this write). Removed before the write, so an operator stopped after it leaves no record to trust.
     */
    static String beforeReplacing(String path) {
        return DAEMONS.entrySet().stream().filter(daemon -> daemon.getValue().configuration().equals(path))
                .map(daemon -> "rm -f " + Shell.quote(path(daemon.getKey()))).collect(Collectors.joining("\n"));
    }

    /** The probe's lines: every record line, prefixed, only when it reads as "HASH /PATH". */
    static String probeLines() {
        return "cat " + DIR + "/*.loaded 2>/dev/null | sed -n 's|^\\([0-9a-f]\\{64\\}\\) \\(/.*\\)$|" + PROBE_KEY + "\\1 \\2|p'";
    }

    /** "HASH PATH" for each of the files that exists, in order. */
    private static String hashes(List<String> paths) {
        return "for f in " + paths.stream().map(Shell::quote).collect(Collectors.joining(" "))
                + "; do [ -f \"$f\" ] && printf '%s %s\\n' \"$(sha256sum < \"$f\" | cut -d' ' -f1)\" \"$f\"; done";
    }
}
