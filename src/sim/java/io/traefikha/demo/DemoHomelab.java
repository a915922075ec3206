package io.traefikha.demo;

import io.traefikha.demo.kubeapi.EmbeddedKubeApi;
import io.traefikha.domain.Role;
import io.traefikha.proxmox.ProxmoxClient;
import io.traefikha.proxmox.ProxmoxConnection;
import io.traefikha.proxmox.TlsTrust;
import io.traefikha.simulator.adguard.AdGuardHomeSimulator;
import io.traefikha.simulator.adguard.HomelabPreset;
import io.traefikha.simulator.node.SimulatedNodes;
import io.traefikha.simulator.proxmox.ContainerEvent;
import io.traefikha.simulator.proxmox.ProxmoxSimulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Everything the operator talks to in the demo, in this process and on loopback: the embedded Kubernetes API with the
 * CRD, the Proxmox VE simulator with the seed's homelab (CT 110 running Traefik at .110), the two containers as
 * {@link SimulatedNodes} that follow the simulator's power states, and AdGuard Home with the seed's 26 rewrites.
 * Started before the operator, which is pointed at it by {@link #operatorConfig()}.
 */
public final class DemoHomelab implements AutoCloseable {

    public static final String NAMESPACE = "traefik-ha";
    public static final int PRIMARY_VMID = 110;
    public static final int SECONDARY_VMID = 111;
    /** The token id of deploy/examples/secrets.yaml; the simulator accepts it with a secret made up at start. */
    static final String EXAMPLE_TOKEN_ID = "traefikha@pve!operator";
    static final String ADGUARD_USER = "admin";

    /** The homelab the operator of this process uses instead of SSH, if a demo runs (see DemoNodeGateways). */
    private static volatile DemoHomelab running;

    private final Path workDir;
    private final EmbeddedKubeApi api;
    private final ProxmoxSimulator proxmox;
    private final AdGuardHomeSimulator adguard;
    private final SimulatedNodes nodes = new SimulatedNodes();
    private final String adguardPassword = UUID.randomUUID().toString();
    private final Path kubeconfig;
    private final DemoExamples.Applied examples;
    private final DemoTiming timing;

    private DemoHomelab(Path repository, Path workDir, DemoTiming timing) {
        this.workDir = workDir;
        this.timing = timing;
        // the secondary does not exist yet: nothing answers at .111
        nodes.powerOff(Role.SECONDARY);
        this.proxmox = ProxmoxSimulator.homelab().token(EXAMPLE_TOKEN_ID, UUID.randomUUID().toString())
                .taskDuration(timing.proxmoxTask()).statsInterval(timing.proxmoxStats()).start();
        proxmox.addListener(this::followContainer);
        this.adguard = AdGuardHomeSimulator.builder().user(ADGUARD_USER, adguardPassword)
                .rewrites(HomelabPreset.rewrites()).start();
        this.api = EmbeddedKubeApi.start();
        api.installCrd(repository.resolve("crds/traefikhaclusters.traefikha.io-v1.yml"));
        this.kubeconfig = api.writeKubeconfig(workDir.resolve("kubeconfig"), NAMESPACE);
        this.examples = DemoExamples.rewrite(repository.resolve("deploy/examples"), workDir, this, timing);
    }

    /**
     * Starts the homelab; {@code repository} is the clone's root (crds/ and deploy/examples/ are read from there).
     * Only one demo runs per process.
     */
    public static synchronized DemoHomelab start(Path repository, DemoTiming timing) {
        if (running != null) {
            throw new IllegalStateException("a demo homelab already runs in this process");
        }
        for (String needed : new String[] {"crds/traefikhaclusters.traefikha.io-v1.yml", "deploy/examples"}) {
            if (!Files.exists(repository.resolve(needed))) {
                throw new IllegalStateException("the demo reads " + needed + " from the clone: run it from the "
                        + "repository's root (not found under " + repository.toAbsolutePath() + ")");
            }
        }
        try {
            running = new DemoHomelab(repository, Files.createTempDirectory("traefikha-demo-"), timing);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the demo's work directory", e);
        }
        return running;
    }

    public static Optional<DemoHomelab> running() {
        return Optional.ofNullable(running);
    }

    /**
     * The operator's settings for this homelab: its Kubernetes client goes to the embedded API, its HTTP server binds
     * loopback only, and it looks at the resource every few seconds so the demo is lively.
     */
    public Map<String, String> operatorConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("quarkus.kubernetes-client.api-server-url", api.baseUrl());
        config.put("quarkus.http.host", "127.0.0.1");
        config.put("quarkus.http.port", "0");
        config.put("traefikha.reconcile.period", timing.reconcilePeriod().toMillis() + "ms");
        config.put("traefikha.reconcile.busy-period", timing.busyPeriod().toMillis() + "ms");
        // a short task timeout: a simulated task takes a fraction of a second
        config.put("traefikha.proxmox.task-timeout", "1m");
        return config;
    }

    /** A stopped or destroyed container answers nothing; a clone starts without keepalived. */
    private void followContainer(ContainerEvent event) {
        Role role = event.vmid() == PRIMARY_VMID ? Role.PRIMARY : event.vmid() == SECONDARY_VMID ? Role.SECONDARY : null;
        if (role == null) {
            return;
        }
        switch (event.type()) {
            case CREATED -> nodes.replaceWithFreshContainer(role);
            case STARTED -> nodes.powerOn(role);
            case STOPPED, DESTROYED -> nodes.powerOff(role);
            case RECONFIGURED, MIGRATED -> {
            }
        }
    }

    /** A client of the simulator as a user (or the Proxmox GUI) would act on it. */
    public ProxmoxClient proxmoxClient() {
        return ProxmoxClient.create(ProxmoxConnection.of(proxmox.baseUrl(), proxmox.tokenId(), proxmox.tokenSecret(),
                TlsTrust.fingerprint(proxmox.fingerprint())).withRequestTimeout(Duration.ofSeconds(10)));
    }

    public EmbeddedKubeApi api() {
        return api;
    }

    public ProxmoxSimulator proxmox() {
        return proxmox;
    }

    public AdGuardHomeSimulator adguard() {
        return adguard;
    }

    public SimulatedNodes nodes() {
        return nodes;
    }

    String adguardPassword() {
        return adguardPassword;
    }

    public DemoTiming timing() {
        return timing;
    }

    public Path workDir() {
        return workDir;
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    public DemoExamples.Applied examples() {
        return examples;
    }

    @Override
    public void close() {
        synchronized (DemoHomelab.class) {
            if (running == this) {
                running = null;
            }
        }
        api.close();
        adguard.close();
        proxmox.close();
    }
}
