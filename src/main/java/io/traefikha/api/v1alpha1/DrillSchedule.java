package io.traefikha.api.v1alpha1;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

/** spec.drill.schedule: a Unix cron expression (five fields, UTC), parsed by cron-utils. */
public final class DrillSchedule {

    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private final ExecutionTime executions;

    private DrillSchedule(ExecutionTime executions) {
        this.executions = executions;
    }

    /** @throws IllegalArgumentException with cron-utils' explanation when the expression is not valid Unix cron */
    public static DrillSchedule parse(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("is empty");
        }
        return new DrillSchedule(ExecutionTime.forCron(PARSER.parse(expression.strip()).validate()));
    }

    /** The first time the schedule names strictly after {@code after}, if any. */
    public Optional<Instant> nextAfter(Instant after) {
        return executions.nextExecution(after.atZone(ZoneOffset.UTC)).map(t -> t.toInstant());
    }
}
