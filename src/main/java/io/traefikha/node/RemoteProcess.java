package io.traefikha.node;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;

/**
 * A command running on a node, its stdin and stdout open as streams: content of any size passes through a small buffer
 * instead of being held whole ({@link NodeSession#start}).
 */
public interface RemoteProcess extends AutoCloseable {

    /** The command's stdout as it arrives; ends when the command closes it. */
    InputStream stdout();

    /** The command's stdin; {@link #finish} closes it. */
    OutputStream stdin();

    /**
     * Closes stdin (end of file for the command) and waits for the command to exit.
     *
     * @return the exit code, what of stdout was not read through {@link #stdout()}, and stderr
     * @throws NodeAccessException when it does not exit within the timeout
     */
    CommandResult finish(Duration timeout);

    /** Ends the command's channel at once (a stalled transfer); never throws. */
    @Override
    void close();
}
