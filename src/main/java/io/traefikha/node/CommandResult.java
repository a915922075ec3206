package io.traefikha.node;

/** What a remote command left behind. */
public record CommandResult(int exitCode, String stdout, String stderr) {

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** @throws NodeAccessException naming what was attempted when the command failed */
    public CommandResult orThrow(String whatWasAttempted) {
        if (!succeeded()) {
            throw new NodeAccessException(whatWasAttempted + " failed with exit code " + exitCode + ": " + stderr.strip());
        }
        return this;
    }
}
