package io.traefikha.demo;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.traefikha.api.v1alpha1.ClusterPhase;
import io.traefikha.api.v1alpha1.Condition;
import io.traefikha.api.v1alpha1.ServedNameStatus;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.Role;
import io.traefikha.proxmox.ProxmoxClient;
import io.traefikha.simulator.adguard.HomelabPreset;
import io.traefikha.simulator.adguard.Rewrite;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * What the newcomer sees and types: applies the examples, prints the kubeconfig and what to try, shows the resource's
 * progress and its Events live, and runs the scripted failures (kill Traefik on the MASTER, stop the secondary).
 */
public final class DemoConsole implements AutoCloseable {

    static final String NAME = "traefik";
    private static final Duration PROGRESS_EVERY = Duration.ofMillis(500);
    private static final Duration SCENARIO_STEP_LIMIT = Duration.ofSeconds(120);
    /** The router drop-route takes from the secondary: one of the runbook's names. */
    private static final String DROPPED_ROUTE = "uptime-kuma";

    private final DemoHomelab homelab;
    private final KubernetesClient client;
    private final PrintStream out;
    private final Instant started;
    private final ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "demo-progress");
        thread.setDaemon(true);
        return thread;
    });
    private final Set<String> shownEvents = new HashSet<>();
    private String lastLine;
    private final java.util.Set<String> shownMilestones = new java.util.HashSet<>();
    private volatile Duration toReady;

    /** @param started when the demo started (the process start, for the time-to-Ready it reports) */
    public DemoConsole(DemoHomelab homelab, PrintStream out, Instant started) {
        this.homelab = homelab;
        this.client = homelab.api().client();
        this.out = out;
        this.started = started;
    }

    /** Applies the examples and starts showing progress. */
    public void start() {
        apply(homelab.examples().secrets());
        apply(homelab.examples().cluster());
        printIntro();
        watcher.scheduleWithFixedDelay(this::showProgress, 0, PROGRESS_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Reads commands until {@code quit} (true) or the end of the input (false). */
    public boolean readCommands(BufferedReader in) {
        try {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!run(line.trim())) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            out.println("cannot read commands: " + e.getMessage());
            return false;
        }
    }

    /** Runs one command (a word, and a name for the commands that take one); false for quit. */
    public boolean run(String command) {
        String[] words = command.trim().split("\\s+", 2);
        String argument = words.length > 1 ? words[1].trim() : "";
        switch (words[0].toLowerCase(Locale.ROOT)) {
            case "" -> {
            }
            case "help", "?" -> printHelp();
            case "status" -> out.println(line(current()));
            case "kill-traefik" -> killTraefik();
            case "revive-traefik" -> reviveTraefik();
            case "stop-secondary" -> stopSecondary();
            case "drop-route" -> dropRoute();
            case "restore-route" -> restoreRoute();
            case "hang-vip" -> hangVip(true);
            case "unhang-vip" -> hangVip(false);
            case "names" -> showNames();
            case "break-name" -> withName(argument, "break-name", name -> {
                homelab.nodes().names.breakName(name);
                say(name + " no longer answers through the VIP (its TLS handshake fails): it shows in status.served"
                        + " within a period, and while it is one of the moved names the DNS soak starts again (DNSSoakReset)");
            });
            case "expire-cert" -> withName(argument, "expire-cert", name -> {
                homelab.nodes().names.expireCertificate(name);
                say("the certificate " + name + " presents through the VIP expired yesterday: CertificatesValid False"
                        + " once it is checked again (within four periods); Ready stays");
            });
            case "fix-names" -> {
                homelab.nodes().names.fixAll();
                say("every name answers again with a valid certificate");
            }
            case "scenario" -> scenario();
            case "quit", "exit" -> {
                return false;
            }
            default -> out.println("unknown command '" + command + "'; try help");
        }
        return true;
    }

    /** The name as typed, with the homelab's domain appended when it has no dot; the command's usage without one. */
    private void withName(String typed, String command, Consumer<String> action) {
        if (typed.isEmpty()) {
            say("usage: " + command + " <name>, e.g. " + command + " grafana (one of: "
                    + String.join(", ", HomelabPreset.NAMES) + ")");
            return;
        }
        action.accept(typed.contains(".") ? typed : typed + "." + HomelabPreset.DOMAIN);
    }

    /** status.served as the operator last wrote it, with CertificatesValid and what holds the DNS soak. */
    private void showNames() {
        TraefikHACluster resource = current();
        if (resource == null || resource.getStatus() == null || resource.getStatus().served == null) {
            say("no name has moved to the VIP yet (status.served is empty)");
            return;
        }
        StringBuilder text = new StringBuilder("names moved to the VIP, as last requested through it (status.served):");
        for (ServedNameStatus name : resource.getStatus().served) {
            text.append(String.format("%n  %-40s %s  %s", name.name, Boolean.TRUE.equals(name.served) ? "served"
                    : "NOT SERVED (" + name.error + ")", name.notAfter == null ? "" : "expires " + name.notAfter
                    + (name.certificateProblem == null ? "" : " REFUSED: " + name.certificateProblem)));
        }
        Condition certificates = resource.getStatus().condition(ConditionTypes.CERTIFICATES_VALID);
        if (certificates != null) {
            text.append(String.format("%n  CertificatesValid %s (%s): %s", certificates.status, certificates.reason,
                    certificates.message));
        }
        if (resource.getStatus().dns != null && resource.getStatus().dns.soakHeldBy != null) {
            text.append(String.format("%n  the DNS soak is held by %s", String.join(", ", resource.getStatus().dns.soakHeldBy)));
        }
        say(text.toString());
    }

    /** How long the resource took to reach Ready after the demo started; empty until it has. */
    public Optional<Duration> timeToReady() {
        return Optional.ofNullable(toReady);
    }

    private void apply(Path manifest) {
        try (InputStream in = Files.newInputStream(manifest)) {
            for (HasMetadata item : client.load(in).items()) {
                client.resource(item).createOr(NonDeletingOperation::update);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + manifest, e);
        }
    }

    private void printIntro() {
        String kubectl = "kubectl --kubeconfig " + homelab.kubeconfig();
        out.printf("""

                === traefik-ha-operator demo homelab: everything runs in this process, on 127.0.0.1 ===
                  Kubernetes API  %s  (embedded, CRD traefikhaclusters.traefikha.io installed)
                  Proxmox VE      %s  (simulator: nodes proxmox, proxmox2, proxmox3; CT 110 "traefik" runs Traefik at .110)
                  AdGuard Home    %s  (simulator: the seed's %d rewrites, all to %s)
                  Nodes           simulated keepalived/Traefik in the containers (no SSH)
                Applied deploy/examples with the simulators' addresses (soakTime %ds instead of 24h):
                  %s
                  %s

                Kubeconfig: %s
                Try in another terminal:
                  %s get traefikha                # add -o wide or --watch
                  %s describe traefikha %s
                  %s get events
                  %s apply -f %s
                  %s delete traefikha %s
                Type help for the failures you can trigger here (kill-traefik, stop-secondary, drop-route, break-name,
                expire-cert, names, scenario, quit).

                """, homelab.api().baseUrl(), homelab.proxmox().baseUrl(), homelab.adguard().url(),
                HomelabPreset.NAMES.size(), HomelabPreset.PRIMARY_ADDRESS, homelab.timing().dnsSoakTime().toSeconds(),
                homelab.examples().secrets(), homelab.examples().cluster(), homelab.kubeconfig(), kubectl, kubectl, NAME,
                kubectl, kubectl, homelab.examples().cluster(), kubectl, NAME);
    }

    private void printHelp() {
        out.print("""
                Commands:
                  kill-traefik     Traefik dies on the MASTER: keepalived's health check fails and the VIP moves to the
                                   other node on its own; the operator reports it (Failover event, FAILOVERS column)
                  revive-traefik   Traefik runs again (with preempt, the VIP goes back to the primary: another failover)
                  stop-secondary   stops CT 111 through the Proxmox API, as from the GUI; the operator starts it again
                  drop-route       the secondary's Traefik leaves out the uptime-kuma router while its files stay the same
                                   (as one that missed a reload): RoutesMatch False naming it, phase Degraded
                  restore-route    the secondary's Traefik loads its files again: RoutesMatch True, Ready
                  hang-vip         Traefik on the VIP takes connections and never answers, while its ping still does:
                                   VIPHealthy False (NotAnswering), a VIPNotAnswering event, status.vip.entryPoints
                  unhang-vip       it answers again: VIPHealthy True, a VIPAnswering event
                  names            each name moved to the VIP as the operator last requested it through the VIP
                                   (served, certificate expiry), CertificatesValid, and what holds the DNS soak
                  break-name NAME  NAME no longer answers through the VIP (e.g. break-name traefik): status.served
                                   false, a NameNotServed event, and the DNS soak starts again (DNSSoakReset)
                  expire-cert NAME the certificate NAME presents expired: CertificatesValid False (Ready stays)
                  fix-names        every name answers again with a valid certificate
                  scenario         the three above in order, each waited for until it shows
                  status           where the resource stands now
                  quit             stop the demo
                """);
    }

    private void hangVip(boolean hangs) {
        homelab.nodes().hangVip(hangs);
        say(hangs ? "Traefik on the VIP now hangs (its ping still answers, so keepalived keeps the VIP where it is): watch"
                + " `kubectl describe traefikha` and `kubectl get events`" : "Traefik on the VIP answers again");
    }

    private void killTraefik() {
        Optional<Role> master = homelab.nodes().master();
        if (master.isEmpty()) {
            say("no node is MASTER yet: wait for phase Ready");
            return;
        }
        homelab.nodes().traefikDies(master.get());
        say("killed Traefik on " + hostname(master.get()) + " (the MASTER): watch `kubectl get traefikha` and "
                + "`kubectl get events`");
    }

    private void reviveTraefik() {
        for (Role role : Role.pair()) {
            homelab.nodes().traefikRecovers(role);
        }
        say("Traefik runs again on both nodes");
    }

    private void stopSecondary() {
        if (!homelab.proxmox().isRunning(DemoHomelab.SECONDARY_VMID)) {
            say("CT " + DemoHomelab.SECONDARY_VMID + " is not running (not cloned yet, or already stopped)");
            return;
        }
        String node = homelab.proxmox().nodeOf(DemoHomelab.SECONDARY_VMID);
        try (ProxmoxClient proxmox = homelab.proxmoxClient()) {
            proxmox.stop(node, DemoHomelab.SECONDARY_VMID);
        }
        say("POST /nodes/" + node + "/lxc/" + DemoHomelab.SECONDARY_VMID + "/status/stop sent: the operator will start it again");
    }

    private void dropRoute() {
        if (!homelab.proxmox().isRunning(DemoHomelab.SECONDARY_VMID)) {
            say("CT " + DemoHomelab.SECONDARY_VMID + " is not running (not cloned yet, or stopped)");
            return;
        }
        String router = DROPPED_ROUTE + DemoHomelab.ROUTER_PROVIDER;
        if (homelab.nodes().dropRouter(Role.SECONDARY, router)) {
            say("the secondary's Traefik no longer serves " + router + " (its files still define it): watch RoutesMatch in"
                    + " `kubectl describe traefikha " + NAME + "`; restore-route reloads it");
        } else {
            say("the secondary's Traefik had not loaded " + router + ": restore-route reloads it");
        }
    }

    private void restoreRoute() {
        homelab.nodes().reloadTraefik(Role.SECONDARY);
        say("the secondary's Traefik loaded its files again");
    }

    /** The failures one after the other, each awaited (bounded) so its effect is seen before the next. */
    private void scenario() {
        if (!await("phase Ready", () -> phaseIs(ClusterPhase.Ready))) {
            return;
        }
        String primary = hostname(Role.PRIMARY);
        String secondary = hostname(Role.SECONDARY);
        killTraefik();
        if (!await("the VIP on " + secondary, () -> holderIs(secondary))) {
            return;
        }
        reviveTraefik();
        if (!await("the VIP back on " + primary, () -> holderIs(primary))) {
            return;
        }
        stopSecondary();
        if (!await("CT 111 stopped", () -> !homelab.proxmox().isRunning(DemoHomelab.SECONDARY_VMID))
                || !await("CT 111 started again by the operator", () -> homelab.proxmox().isRunning(DemoHomelab.SECONDARY_VMID))
                || !await("phase Ready", () -> phaseIs(ClusterPhase.Ready))) {
            return;
        }
        say("scenario done: see `kubectl describe traefikha " + NAME + "` for the Events");
    }

    private boolean await(String what, BooleanSupplier done) {
        say("waiting for " + what + " ...");
        long deadline = System.nanoTime() + SCENARIO_STEP_LIMIT.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                say("gave up waiting for " + what + " after " + SCENARIO_STEP_LIMIT.toSeconds() + " s");
                return false;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private boolean phaseIs(ClusterPhase phase) {
        TraefikHACluster resource = current();
        return resource != null && resource.getStatus() != null && resource.getStatus().phase == phase;
    }

    private boolean holderIs(String hostname) {
        TraefikHACluster resource = current();
        return resource != null && resource.getStatus() != null && resource.getStatus().vip != null
                && hostname.equals(resource.getStatus().vip.holder);
    }

    private String hostname(Role role) {
        TraefikHACluster resource = current();
        if (resource == null) {
            return role.label();
        }
        return resource.getSpec().container(role).hostname;
    }

    private void showProgress() {
        try {
            TraefikHACluster resource = current();
            String line = line(resource);
            if (!line.equals(lastLine)) {
                lastLine = line;
                say(line);
            }
            ProgressLine.milestones(resource).stream().filter(shownMilestones::add).forEach(this::say);
            showNewEvents();
            if (toReady == null && resource != null && resource.getStatus() != null
                    && resource.getStatus().phase == ClusterPhase.Ready) {
                toReady = Duration.between(started, Instant.now());
                say(String.format("Ready %.1f s after the demo started; resident memory of this process %s",
                        toReady.toMillis() / 1000.0, ResidentMemory.describe()));
            }
        } catch (RuntimeException e) {
            say("cannot read the resource: " + e.getMessage());
        }
    }

    private void showNewEvents() {
        List<Event> events = client.v1().events().inNamespace(DemoHomelab.NAMESPACE).list().getItems();
        events.stream().sorted(Comparator.comparing(e -> String.valueOf(e.getLastTimestamp()))).forEach(event -> {
            if (shownEvents.add(event.getMetadata().getName() + "#" + event.getCount())) {
                say("event " + event.getType() + " " + event.getReason() + ": " + event.getMessage());
            }
        });
    }

    private String line(TraefikHACluster resource) {
        List<Rewrite> rewrites = homelab.adguard().rewrites();
        int atVip = (int) rewrites.stream().filter(r -> HomelabPreset.VIP_ADDRESS.equals(r.answer())).count();
        return ProgressLine.of(resource, atVip, rewrites.size());
    }

    private TraefikHACluster current() {
        return client.resources(TraefikHACluster.class).inNamespace(DemoHomelab.NAMESPACE).withName(NAME).get();
    }

    private synchronized void say(String text) {
        out.printf("[%6.1fs] %s%n", Duration.between(started, Instant.now()).toMillis() / 1000.0, text);
    }

    @Override
    public void close() {
        watcher.shutdownNow();
    }
}
