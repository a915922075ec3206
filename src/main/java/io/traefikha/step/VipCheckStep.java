package io.traefikha.step;

import io.traefikha.api.v1alpha1.EntryPointStatus;
import io.traefikha.api.v1alpha1.VipStatus;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.EntryPoint;
import io.traefikha.domain.Finding;
import io.traefikha.domain.VipAnswer;
import io.traefikha.planner.NodePlan;
import io.traefikha.planner.VipAnswerPlanner;
import io.traefikha.planner.VipAnswerPlanner.Checked;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * The VIP as a client sees it: one request to each of Traefik's entry points on the VIP (http, and https unless
 * vip.httpsPort is 0), sent together, so a hung VIP delays the round by one timeout at most. What they answered goes
 * to status.vip.entryPoints, and VIPHealthy becomes what {@link VipAnswerPlanner} makes of it beside the nodes' probes;
 * a Warning Event VIPNotAnswering when a held VIP stops answering, a Normal VIPAnswering when it answers again. Runs
 * after {@link NodeStatusStep}, which writes status.vip afresh each round.
 */
public final class VipCheckStep implements ReconcileStep {

    private static final ExecutorService REQUESTS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "vip-check");
        thread.setDaemon(true);
        return thread;
    });

    private final EventRecorder events;

    public VipCheckStep(EventRecorder events) {
        this.events = events;
    }

    @Override
    public Next apply(Round round) {
        NodePlan plan = round.nodePlan();
        if (plan == null) {
            return Next.CONTINUE;
        }
        EntryPointProber prober = round.connections().entryPointProber();
        String checkedAt = round.timestamp();
        List<CompletableFuture<Checked>> requests = VipAnswerPlanner.entryPoints(round.spec()).stream()
                .map(entryPoint -> CompletableFuture.supplyAsync(() -> new Checked(entryPoint, prober.request(entryPoint)),
                        REQUESTS))
                .toList();
        List<Checked> checked = requests.stream().map(CompletableFuture::join).toList();

        StatusAggregator status = round.status();
        boolean wasNotAnswering = notAnswering(status.previous().vip);
        status.vipEntryPoints(checked.stream().map(c -> entryPointStatus(c, checkedAt)).toList());
        Finding nodes = plan.findings().stream().filter(f -> ConditionTypes.VIP_HEALTHY.equals(f.type())).findFirst()
                .orElseThrow(() -> new IllegalStateException("the node plan has no VIPHealthy finding"));
        Finding finding = VipAnswerPlanner.judge(nodes, plan.holders(), round.probes(), checked);
        boolean notAnswering = VipAnswerPlanner.NOT_ANSWERING.equals(finding.reason());
        if (notAnswering && !wasNotAnswering) {
            events.warning(round.resource(), "VIPNotAnswering", finding.message());
        } else if (wasNotAnswering && !plan.holders().isEmpty() && checked.stream().allMatch(c -> c.answer().answered())) {
            events.normal(round.resource(), "VIPAnswering", "the VIP answers clients again: " + checked.stream()
                    .map(c -> c.entryPoint().label() + " " + c.answer().describe()).collect(Collectors.joining("; ")));
        }
        round.report(List.of(finding));
        return Next.CONTINUE;
    }

    /** The last round's status: a held VIP with an entry point that did not answer (the memory between rounds). */
    private static boolean notAnswering(VipStatus vip) {
        return vip != null && vip.holder != null && !vip.holder.isEmpty() && !vip.holder.contains(",")
                && vip.entryPoints != null && vip.entryPoints.stream().anyMatch(e -> !Boolean.TRUE.equals(e.answered));
    }

    private static EntryPointStatus entryPointStatus(Checked checked, String checkedAt) {
        EntryPoint entryPoint = checked.entryPoint();
        VipAnswer answer = checked.answer();
        EntryPointStatus status = new EntryPointStatus();
        status.name = entryPoint.name();
        status.port = entryPoint.port();
        status.serverName = entryPoint.serverName();
        status.answered = answer.answered();
        status.statusCode = answer.answered() ? answer.statusCode() : null;
        status.error = answer.error();
        status.latencyMillis = answer.latencyMillis();
        status.checkedAt = checkedAt;
        return status;
    }
}
