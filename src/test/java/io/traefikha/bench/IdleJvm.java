package io.traefikha.bench;

/** The benchmark baseline: a JVM that does nothing but say it is ready and wait. */
public final class IdleJvm {

    private IdleJvm() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(60_000);
    }
}
