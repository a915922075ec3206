package io.traefikha.demo;

import io.traefikha.demo.kubeapi.EmbeddedKubeApi;
import io.traefikha.domain.Role;
import io.traefikha.http.TlsTrust;
import io.traefikha.planner.PrivilegePlanner;
import io.traefikha.proxmox.ProxmoxClient;
import io.traefikha.proxmox.ProxmoxConnection;
import io.traefikha.simulator.adguard.AdGuardHomeSimulator;
import io.traefikha.simulator.adguard.HomelabPreset;
import io.traefikha.simulator.node.SimulatedNodes;
import io.traefikha.simulator.proxmox.ProxmoxSimulator;
import io.traefikha.simulator.proxmox.PveAccess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Everything the operator talks to in the demo, in this process and on loopback: the embedded Kubernetes API with the
 * CRD, the Proxmox VE simulator with the seed's homelab (CT 110 running Traefik at .110), the two containers as
 * {@link SimulatedNodes} that follow the simulator's power states, and AdGuard Home with the seed's 26 rewrites.
 * A bean of the demo ({@link DemoBeans}), made before the operator's Kubernetes client, which is pointed at its API.
 */
public final class DemoHomelab implements AutoCloseable {

    public static final String NAMESPACE = "traefik-ha";
    /** The provider of the demo Traefik's routers: the file provider, as in the runbook. */
    static final String ROUTER_PROVIDER = "@file";
    public static final int PRIMARY_VMID = 110;
    public static final int SECONDARY_VMID = 111;
    /** The third replica the demo's example has one line away, on proxmox3 at .112. */
    public static final int THIRD_VMID = 112;
    /** The token id of deploy/examples/secrets.yaml; the simulator accepts it with a secret made up at start. */
    static final String EXAMPLE_TOKEN_ID = "traefikha@pve!operator";
    static final String ADGUARD_USER = "admin";

    private final Path workDir;
    private final EmbeddedKubeApi api;
    private final ProxmoxSimulator proxmox;
    private final AdGuardHomeSimulator adguard;
    private final SimulatedNodes nodes = new SimulatedNodes();
    private final String adguardPassword = UUID.randomUUID().toString();
    private final Path kubeconfig;
    private final DemoExamples.Applied examples;
    private final DemoTiming timing;

    /**
     * The README's "Preparing your homelab": the role with the operator's privileges, its user and a privilege-separated
     * token, both granted the role on /. The operator's preflight then passes as on a homelab prepared by the book.
     */
    private static void prepareAsTheReadmeSays(PveAccess access, String tokenSecret) {
        String user = EXAMPLE_TOKEN_ID.substring(0, EXAMPLE_TOKEN_ID.indexOf('!'));
        access.roleAdd(PrivilegePlanner.ROLE, String.join(",", PrivilegePlanner.ROLE_PRIVILEGES));
        access.userAdd(user);
        access.tokenAdd(user, EXAMPLE_TOKEN_ID.substring(EXAMPLE_TOKEN_ID.indexOf('!') + 1), true, tokenSecret);
        access.aclModifyUser("/", user, PrivilegePlanner.ROLE, true);
        access.aclModifyToken("/", EXAMPLE_TOKEN_ID, PrivilegePlanner.ROLE, true);
    }

    private DemoHomelab(Path repository, Path workDir, DemoTiming timing) {
        this.workDir = workDir;
        this.timing = timing;
        // the runbook's Traefik routes one router per name; a clone loads the same files
        nodes.configuredRouters.clear();
        HomelabPreset.NAMES.forEach(name -> nodes.configuredRouters.put(name + ROUTER_PROVIDER, "enabled"));
        nodes.reloadTraefik(Role.PRIMARY);
        // the secondary does not exist yet: nothing answers at .111
        nodes.powerOff(Role.SECONDARY);
        String tokenSecret = UUID.randomUUID().toString();
        this.proxmox = ProxmoxSimulator.homelab().token(EXAMPLE_TOKEN_ID, tokenSecret)
                .access(access -> prepareAsTheReadmeSays(access, tokenSecret))
                .taskDuration(timing.proxmoxTask()).statsInterval(timing.proxmoxStats()).start();
        proxmox.addListener(nodes.following(PRIMARY_VMID, THIRD_VMID - PRIMARY_VMID));
        this.adguard = AdGuardHomeSimulator.builder().user(ADGUARD_USER, adguardPassword)
                .rewrites(HomelabPreset.rewrites()).start();
        this.api = EmbeddedKubeApi.start();
        api.installCrd(repository.resolve("crds/traefikhaclusters.traefikha.io-v1.yml"));
        this.kubeconfig = api.writeKubeconfig(workDir.resolve("kubeconfig"), NAMESPACE);
        this.examples = DemoExamples.rewrite(repository.resolve("deploy/examples"), workDir, this, timing);
    }

    /**
     * Starts the homelab; {@code repository} is the clone's root (crds/ and deploy/examples/ are read from there),
     * {@code workDir} receives the kubeconfig and the rewritten examples.
     */
    public static DemoHomelab start(Path repository, Path workDir, DemoTiming timing) {
        requireRepository(repository);
        return new DemoHomelab(repository, workDir, timing);
    }

    /** Fails unless {@code repository} has what the demo reads: the CRD and the examples. */
    public static void requireRepository(Path repository) {
        for (String needed : new String[] {"crds/traefikhaclusters.traefikha.io-v1.yml", "deploy/examples"}) {
            if (!Files.exists(repository.resolve(needed))) {
                throw new IllegalStateException("the demo reads " + needed + " from the clone: run it from the "
                        + "repository's root (not found under " + repository.toAbsolutePath() + ")");
            }
        }
    }

    /** A new temporary work directory. */
    public static Path newWorkDir() {
        try {
            return Files.createTempDirectory("traefikha-demo-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the demo's work directory", e);
        }
    }

    /**
     * The operator's settings for the demo: its HTTP server binds loopback only, and it looks at the resource every
     * few seconds so the demo is lively. Its Kubernetes client is pointed at the embedded API by
     * {@link DemoKubernetesConfig}, as the API's port is known only once the homelab runs.
     */
    public static Map<String, String> operatorConfig(DemoTiming timing) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("quarkus.http.host", "127.0.0.1");
        config.put("quarkus.http.port", "0");
        config.put("traefikha.reconcile.period", timing.reconcilePeriod().toMillis() + "ms");
        config.put("traefikha.reconcile.busy-period", timing.busyPeriod().toMillis() + "ms");
        // a short task timeout: a simulated task takes a fraction of a second
        config.put("traefikha.proxmox.task-timeout", "1m");
        return config;
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
        api.close();
        adguard.close();
        proxmox.close();
    }
}
