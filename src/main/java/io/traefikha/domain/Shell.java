package io.traefikha.domain;

/** Quoting for values placed into POSIX shell scripts sent to a node. */
public final class Shell {

    private Shell() {
    }

    /** Single-quotes a value so the shell takes it literally, whatever it contains. */
    public static String quote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
