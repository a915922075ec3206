package io.traefikha.node;

import io.traefikha.api.v1alpha1.SyncSpec;
import io.traefikha.api.v1alpha1.SyncSpec.SyncMode;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.Cidr;
import io.traefikha.domain.ExternalSystemException;
import io.traefikha.domain.LsyncdObservation;
import io.traefikha.domain.LsyncdOutcome;
import io.traefikha.domain.ManagedFile;
import io.traefikha.domain.NodeAction;
import io.traefikha.domain.NodeObservation;
import io.traefikha.domain.PrimaryChecks;
import io.traefikha.domain.Role;
import io.traefikha.domain.Shell;
import io.traefikha.domain.Uptake;
import io.traefikha.gateway.NodeGateway;
import io.traefikha.keepalived.KeepalivedPaths;
import io.traefikha.keepalived.TraefikHealth;
import io.traefikha.sync.LsyncdFiles;
import io.traefikha.sync.SyncKeyPair;
import io.traefikha.sync.SyncMemory;
import io.traefikha.sync.SyncOutcome;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@link NodeGateway} over SSH: one session per node, opened on first use and reused for the rest of the reconcile
 * (the probe and any actions), closed by {@link #close()}. Host keys are verified before anything is sent; the keys
 * seen are reported by {@link #learnedHostKeys()} so the caller can pin one seen for the first time.
 */
public final class SshNodeGateway implements NodeGateway {

    private static final String LSYNCD = "lsyncd";
    private static final int RECONNECT_ATTEMPTS = 10;
    private static final long RECONNECT_PAUSE_MILLIS = 200;

    private final NodeAccess access;
    private final TraefikHAClusterSpec spec;
    private final SshKey key;
    private final Map<Role, HostKeyPolicy> hostKeys;
    private final Map<Role, NodeSession> sessions = new TreeMap<>();
    /**
     * This reconcile's probes, kept so that lsyncd and the config sync act on what they saw instead of asking again;
     * each of those steps takes them once (a later call, after it may have changed the nodes, asks the nodes itself).
     */
    private final Map<Role, NodeProbeReport> lsyncdProbes = new TreeMap<>();
    private final Map<Role, NodeProbeReport> treeProbes = new TreeMap<>();

    private final String authorizedKeysFile;

    public SshNodeGateway(NodeAccess access, TraefikHAClusterSpec spec, SshKey key, Map<Role, HostKeyPolicy> hostKeys) {
        this(access, spec, key, hostKeys, LsyncdInstaller.ROOT_AUTHORIZED_KEYS);
    }

    /** @param authorizedKeysFile where the secondary's sshd reads root's keys (the sync key goes there) */
    public SshNodeGateway(NodeAccess access, TraefikHAClusterSpec spec, SshKey key, Map<Role, HostKeyPolicy> hostKeys,
            String authorizedKeysFile) {
        this.access = access;
        this.spec = spec;
        this.key = key;
        this.hostKeys = new TreeMap<>(); // a secondary's changes when its host keys are replaced
        this.hostKeys.putAll(hostKeys);
        this.authorizedKeysFile = authorizedKeysFile;
    }

    @Override
    public NodeObservation probe(Role role, List<ManagedFile> managedFiles) {
        try {
            List<String> hashed = Stream.concat(managedFiles.stream().map(ManagedFile::path),
                    spec.sync.mode == SyncMode.Lsyncd ? LsyncdFiles.probedPaths(role).stream() : Stream.empty()).toList();
            NodeProbeReport report = session(role).probe(new ProbeRequest(spec.network.interfaceName,
                    Cidr.hostOf(spec.vip.address), KeepalivedPaths.STATE_FILE, spec.sync.paths, spec.sync.exclude,
                    TraefikHealth.of(spec), hashed, authorizedKeysFile));
            lsyncdProbes.put(role, report);
            treeProbes.put(role, report);
            String traefikProblem = traefikProblem(report);
            return new NodeObservation(role, true, null, report.keepalivedInstalled(), report.keepalivedActive(),
                    report.keepalivedEnabled(), traefikProblem == null, report.vipPresent(),
                    report.vrrpState() == VrrpState.UNKNOWN ? null : report.vrrpState().name(), report.fileHashes(),
                    report.routerCount(), report.traefikVersion(), NodeObservation.Job.parse(report.job()),
                    report.loadedHashes(), report.configHash(), report.loadedRouters(), traefikProblem,
                    report.ipv6Addresses());
        } catch (HostKeyRejectedException e) {
            return NodeObservation.unreachable(role, "its SSH host key changed (pinned " + e.expected() + ", now "
                    + e.presentedFingerprint() + "); nothing was sent. If the container was rebuilt on purpose, update"
                    + " knownHosts in the SSH Secret or remove the keys hostKey." + role.label() + " and hostKeyPending."
                    + role.label() + " from the resource's ConfigMap <name>-state");
        } catch (NodeAccessException | IllegalArgumentException e) {
            forget(role);
            return NodeObservation.unreachable(role, e.getMessage());
        }
    }

    /** The first part of the health check that fails, in the order check.sh asks them; null when Traefik is healthy. */
    private String traefikProblem(NodeProbeReport report) {
        if (!report.traefikActive()) {
            return "its Traefik service is not active";
        }
        if (!report.traefikPingOk()) {
            return "its Traefik does not answer its ping (" + spec.healthCheck.url + ")";
        }
        if (report.routerCount() < spec.healthCheck.minRouters) {
            return "its Traefik has " + (report.routerCount() < 0 ? "no router list (the API did not answer)"
                    : report.routerCount() + " routers loaded") + ", the check needs at least " + spec.healthCheck.minRouters;
        }
        return null;
    }

    /** A node that did not answer may come back (a container started again): the next use opens a new session. */
    private void forget(Role role) {
        NodeSession broken = sessions.remove(role);
        if (broken != null) {
            broken.close();
        }
    }

    @Override
    public void apply(NodeAction action) {
        Role role = action.role();
        try {
            NodeSession session = session(role);
            if (action instanceof NodeAction.InstallPackage install) {
                session.ensurePackage(install.packageName());
            } else if (action instanceof NodeAction.WriteFile write) {
                session.uploadKeepingOriginal(write.file().file());
                if (write.file().uptake() == Uptake.AT_DAEMON_RELOAD) {
                    reloadUnitsOrTakeBack(session, write.file().path());
                }
            } else if (action instanceof NodeAction.EnableService enable) {
                systemctl(session, "enable", enable.service());
            } else if (action instanceof NodeAction.StartService start) {
                systemctl(session, "start", start.service());
            } else if (action instanceof NodeAction.ReloadService reload) {
                systemctl(session, "reload", reload.service());
            } else if (action instanceof NodeAction.StopService stop) {
                systemctl(session, "stop", stop.service());
            } else if (action instanceof NodeAction.DisableService disable) {
                systemctl(session, "disable", disable.service());
            } else if (action instanceof NodeAction.RestartService restart) {
                if (LSYNCD.equals(restart.service())) {
                    LsyncdInstaller.restartOnPrimary(session); // lsyncd needs its directories in place to start
                } else {
                    systemctl(session, "restart", restart.service());
                }
            } else if (action instanceof NodeAction.RestoreOriginals restore) {
                restore.paths().forEach(session::restoreOriginal);
                if (restore.paths().stream().anyMatch(KeepalivedPaths::isSystemdUnitFile)) {
                    session.run(NodeScripts.PATH_LINE + "\nsystemctl daemon-reload").orThrow("systemctl daemon-reload on "
                            + session.endpoint());
                }
            } else if (action instanceof NodeAction.AddSyncKey add) {
                LsyncdInstaller.addSyncKey(session, add.keyLine(), authorizedKeysFile);
            } else if (action instanceof NodeAction.RemoveSyncKey) {
                LsyncdInstaller.removeFromSecondary(session, authorizedKeysFile);
            } else if (action instanceof NodeAction.StartJob job) {
                session.startJob(job.jobId(), job.command());
            }
        } catch (NodeAccessException e) {
            throw new ExternalSystemException(role.label(), e.getMessage(), e);
        }
    }

    @Override
    public PrimaryChecks checkPrimary(List<String> addresses) {
        try {
            NodeSession session = session(Role.PRIMARY);
            // arping waits up to 3 s per address (-w 3), the addresses in parallel
            CommandResult result = session.run(NodeScripts.checkPrimary(spec.network.interfaceName, addresses));
            if (!result.succeeded()) {
                throw new NodeAccessException("the preflight checks on " + session.endpoint() + " exited "
                        + result.exitCode() + ": " + result.stderr().strip());
            }
            return PrimaryCheckReport.parse(result.stdout(), addresses);
        } catch (HostKeyRejectedException e) {
            throw new ExternalSystemException(Role.PRIMARY.label(), "its SSH host key changed (pinned " + e.expected()
                    + ", now " + e.presentedFingerprint() + "); nothing was sent", e);
        } catch (NodeAccessException e) {
            throw new ExternalSystemException(Role.PRIMARY.label(), e.getMessage(), e);
        }
    }

    @Override
    public SyncOutcome syncConfig(SyncSpec syncSpec, SyncMemory memory, Instant now, Set<Role> answered) {
        try {
            // Every acme.json under the synced paths is ACME storage; others named by the static config come later.
            NodeProbeReport primary = treeProbes.remove(Role.PRIMARY);
            boolean probed = primary != null && primary.syncTree() != null && syncSpec.paths.equals(spec.sync.paths)
                    && syncSpec.exclude.equals(spec.sync.exclude);
            Map<Role, SyncOutcome> bySecondary = new TreeMap<>();
            for (Role role : spec.secondaryRoles()) {
                NodeProbeReport secondary = treeProbes.remove(role);
                SyncMemory own = memory.of(role);
                if (!answered.contains(role)) {
                    bySecondary.put(role, SyncOutcome.unreachable(own));
                } else if (probed && secondary != null && secondary.syncTree() != null) {
                    bySecondary.put(role, ConfigSync.round(session(Role.PRIMARY), session(role), syncSpec, own, Set.of(),
                            now, primary.syncTree(), secondary.syncTree()));
                } else {
                    bySecondary.put(role, ConfigSync.round(session(Role.PRIMARY), session(role), syncSpec, own, Set.of(),
                            now));
                }
            }
            return SyncOutcome.combine(bySecondary, memory);
        } catch (NodeAccessException | IllegalArgumentException e) {
            throw new ExternalSystemException("sync", e.getMessage(), e);
        }
    }

    @Override
    public Optional<LsyncdObservation> lsyncdObservation() {
        NodeProbeReport primary = lsyncdProbes.remove(Role.PRIMARY);
        Map<Role, NodeProbeReport> secondaries = new TreeMap<>();
        spec.secondaryRoles().forEach(role -> secondaries.put(role, lsyncdProbes.remove(role)));
        if (primary == null || primary.lsyncd() == null || spec.sync.mode != SyncMode.Lsyncd
                || secondaries.values().stream().anyMatch(s -> s == null || s.lsyncd() == null)) {
            return Optional.empty();
        }
        try {
            Map<Role, LsyncdObservation.Secondary> seen = new TreeMap<>();
            for (Map.Entry<Role, NodeProbeReport> entry : secondaries.entrySet()) {
                NodeEndpoint endpoint = session(entry.getKey()).endpoint();
                seen.put(entry.getKey(), new LsyncdObservation.Secondary(entry.getValue().lsyncd(),
                        entry.getValue().fileHashes(), endpoint.host(), endpoint.port()));
            }
            return Optional.of(new LsyncdObservation(primary.lsyncd(), primary.fileHashes(), primary.loadedHashes(), seen,
                    session(Role.PRIMARY).endpoint().host(), authorizedKeysFile));
        } catch (NodeAccessException e) {
            throw new ExternalSystemException("lsyncd", e.getMessage(), e);
        }
    }

    @Override
    public LsyncdOutcome ensureLsyncd(SyncSpec syncSpec, String clusterName, SyncKeyPair syncKey) {
        try {
            Map<Role, NodeSession> secondaries = new TreeMap<>();
            spec.secondaryRoles().forEach(role -> secondaries.put(role, session(role)));
            return LsyncdInstaller.ensure(session(Role.PRIMARY), secondaries, syncSpec, clusterName, syncKey,
                    authorizedKeysFile);
        } catch (NodeAccessException | IllegalArgumentException e) {
            throw new ExternalSystemException("lsyncd", e.getMessage(), e);
        }
    }

    @Override
    public void stopLsyncd() {
        try {
            LsyncdInstaller.stopOnPrimary(session(Role.PRIMARY));
        } catch (NodeAccessException e) {
            throw new ExternalSystemException("lsyncd", e.getMessage(), e);
        }
    }

    @Override
    public Optional<String> presentedHostKey(Role role) {
        try {
            return Optional.of(session(role).hostKeyFingerprint());
        } catch (NodeAccessException e) {
            return Optional.empty(); // the probe opens it again and reports why it failed
        }
    }

    @Override
    public boolean hostKeysFromSecret() {
        return hostKeys.values().stream().anyMatch(policy -> policy instanceof HostKeyPolicy.KnownHosts);
    }

    @Override
    public Set<String> stageHostKeys(Role secondary) {
        try {
            NodeSession session = secondarySession(secondary);
            return HostIdentity.parseFingerprints(session.run(HostIdentity.stage())
                    .orThrow("staging new SSH host keys on " + session.endpoint()).stdout());
        } catch (NodeAccessException e) {
            throw new ExternalSystemException(secondary.label(), e.getMessage(), e);
        }
    }

    @Override
    public Optional<String> installHostIdentity(Role secondary, Set<String> staged) {
        try {
            NodeSession session = secondarySession(secondary);
            CommandResult result = session.run(HostIdentity.install(staged));
            if (result.exitCode() == HostIdentity.STAGE_LOST) {
                return Optional.empty();
            }
            result.orThrow("giving " + session.endpoint() + " its own host keys and machine id");
            // sshd presents a new key from now on: only a staged one is accepted on the next connection
            sessions.remove(secondary).close();
            hostKeys.put(secondary, new HostKeyPolicy.AnyOf(staged));
            return Optional.of(reconnect(secondary).hostKeyFingerprint());
        } catch (NodeAccessException e) {
            throw new ExternalSystemException(secondary.label(), e.getMessage(), e);
        }
    }

    /** The primary is the user's container: its identity is never replaced. */
    private NodeSession secondarySession(Role role) {
        if (role == Role.PRIMARY) {
            throw new IllegalArgumentException("the primary's host keys and machine id are never replaced");
        }
        return session(role);
    }

    /** sshd re-executes itself on reload and refuses connections for that moment: a few tries, a key refused ends them. */
    private NodeSession reconnect(Role role) {
        for (int attempt = 1; ; attempt++) {
            try {
                return session(role);
            } catch (HostKeyRejectedException e) {
                throw e;
            } catch (NodeAccessException e) {
                if (attempt == RECONNECT_ATTEMPTS) {
                    throw e;
                }
                sleep(RECONNECT_PAUSE_MILLIS);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NodeAccessException("interrupted while reconnecting", e);
        }
    }

    @Override
    public Map<Role, String> learnedHostKeys() {
        Map<Role, String> fingerprints = new TreeMap<>();
        sessions.forEach((role, session) -> fingerprints.put(role, session.hostKeyFingerprint()));
        return fingerprints;
    }

    /**
     * systemd reads a unit file only at daemon-reload: when that fails the file is taken away again, so the next round
     * sees it missing and writes it anew rather than trusting a drop-in systemd never read.
     */
    private static void reloadUnitsOrTakeBack(NodeSession session, String path) {
        session.run(NodeScripts.PATH_LINE + "\nsystemctl daemon-reload || { rm -f -- " + Shell.quote(path) + "; exit 1; }")
                .orThrow("systemctl daemon-reload after writing " + path + " on " + session.endpoint());
    }

    /** keepalived and lsyncd record what they loaded ({@link LoadRecords}); other services are run as they are. */
    private static void systemctl(NodeSession session, String verb, String service) {
        CommandResult result = session.run(LoadRecords.control(verb, service));
        if (!result.succeeded()) {
            throw new NodeAccessException("systemctl " + verb + " " + service + " on " + session.endpoint() + " exited "
                    + result.exitCode() + ": " + result.stderr().strip());
        }
    }

    private NodeSession session(Role role) {
        return sessions.computeIfAbsent(role, r -> {
            String address = Cidr.hostOf(spec.container(r).address);
            return access.open(new NodeEndpoint(address, spec.ssh.port, spec.ssh.user), key, hostKeys.get(r));
        });
    }

    @Override
    public void close() {
        sessions.values().forEach(NodeSession::close);
        sessions.clear();
    }
}
