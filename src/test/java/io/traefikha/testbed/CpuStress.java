package io.traefikha.testbed;

import java.io.IOException;

/** Twice as many CPU hogs as cores (stress-ng), so the daemons under test compete for the CPU; stopped on close. */
final class CpuStress implements AutoCloseable {

    private final Process process;

    private CpuStress(Process process) {
        this.process = process;
    }

    static CpuStress start() {
        try {
            int workers = 2 * Runtime.getRuntime().availableProcessors();
            return new CpuStress(new ProcessBuilder("stress-ng", "--cpu", String.valueOf(workers), "--timeout", "900s",
                    "--quiet").redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start());
        } catch (IOException e) {
            throw new IllegalStateException("stress-ng is needed for the loaded runs: .ci/benchmarks installs it", e);
        }
    }

    @Override
    public void close() {
        process.destroy();
    }
}
