package io.traefikha.node;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import io.traefikha.domain.RemoteFile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A {@link NodeSession} on one JSch connection; every call is one exec channel, i.e. one round trip. */
final class SshNodeSession implements NodeSession {

    private static final long POLL_MILLIS = 5;
    private static final Duration PACKAGE_INSTALL_TIMEOUT = Duration.ofMinutes(5);

    private final NodeEndpoint endpoint;
    private final Session session;
    private final String hostKeyFingerprint;
    private final Duration connectTimeout;
    private final Duration commandTimeout;

    SshNodeSession(NodeEndpoint endpoint, Session session, String hostKeyFingerprint, Duration connectTimeout,
                   Duration commandTimeout) {
        this.endpoint = endpoint;
        this.session = session;
        this.hostKeyFingerprint = hostKeyFingerprint;
        this.connectTimeout = connectTimeout;
        this.commandTimeout = commandTimeout;
    }

    @Override
    public NodeEndpoint endpoint() {
        return endpoint;
    }

    @Override
    public String hostKeyFingerprint() {
        return hostKeyFingerprint;
    }

    @Override
    public CommandResult run(String command) {
        return run(command, new byte[0], commandTimeout);
    }

    @Override
    public CommandResult run(String command, byte[] stdin, Duration timeout) {
        ChannelExec channel = null;
        try {
            channel = (ChannelExec) session.openChannel("exec");
            channel.setCommand(command);
            // JSch copies the stream to the remote stdin and then sends EOF, so commands reading stdin terminate.
            channel.setInputStream(new ByteArrayInputStream(stdin));
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            ByteArrayOutputStream stderr = new ByteArrayOutputStream();
            channel.setOutputStream(stdout);
            channel.setErrStream(stderr);
            long deadline = System.nanoTime() + timeout.toNanos();
            channel.connect(Math.toIntExact(connectTimeout.toMillis()));
            while (!channel.isClosed()) {
                if (System.nanoTime() > deadline) {
                    throw new NodeAccessException("a command on " + endpoint + " did not finish within "
                            + (timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms")
                            + " and was cut off");
                }
                Thread.sleep(POLL_MILLIS);
            }
            return new CommandResult(channel.getExitStatus(), stdout.toString(StandardCharsets.UTF_8),
                    stderr.toString(StandardCharsets.UTF_8));
        } catch (JSchException e) {
            throw new NodeAccessException("cannot run a command on " + endpoint + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NodeAccessException("interrupted while running a command on " + endpoint, e);
        } finally {
            if (channel != null) {
                channel.disconnect();
            }
        }
    }

    @Override
    public RemoteProcess start(String command) {
        ChannelExec channel = null;
        try {
            channel = (ChannelExec) session.openChannel("exec");
            channel.setCommand(command);
            ByteArrayOutputStream stderr = new ByteArrayOutputStream();
            channel.setErrStream(stderr);
            // JSch's pipe: a bounded buffer its session thread fills as data arrives (SSH flow control does the rest)
            InputStream stdout = channel.getInputStream();
            OutputStream stdin = channel.getOutputStream();
            channel.connect(Math.toIntExact(connectTimeout.toMillis()));
            return new StreamingProcess(channel, stdout, stdin, stderr);
        } catch (JSchException | IOException e) {
            if (channel != null) {
                channel.disconnect();
            }
            throw new NodeAccessException("cannot start a command on " + endpoint + ": " + e.getMessage(), e);
        }
    }

    /** One exec channel of {@link #start}. */
    private final class StreamingProcess implements RemoteProcess {

        private final ChannelExec channel;
        private final InputStream stdout;
        private final OutputStream stdin;
        private final ByteArrayOutputStream stderr;

        StreamingProcess(ChannelExec channel, InputStream stdout, OutputStream stdin, ByteArrayOutputStream stderr) {
            this.channel = channel;
            this.stdout = stdout;
            this.stdin = stdin;
            this.stderr = stderr;
        }

        @Override
        public InputStream stdout() {
            return stdout;
        }

        @Override
        public OutputStream stdin() {
            return stdin;
        }

        @Override
        public CommandResult finish(Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            try {
                stdin.close();
                ByteArrayOutputStream rest = new ByteArrayOutputStream();
                byte[] buffer = new byte[8192];
                while (!channel.isClosed() || stdout.available() > 0) {
                    if (System.nanoTime() > deadline) {
                        throw new NodeAccessException("command on " + endpoint + " did not finish within " + timeout);
                    }
                    int available = stdout.available();
                    if (available > 0) {
                        rest.write(buffer, 0, stdout.read(buffer, 0, Math.min(available, buffer.length)));
                    } else {
                        Thread.sleep(POLL_MILLIS);
                    }
                }
                return new CommandResult(channel.getExitStatus(), rest.toString(StandardCharsets.UTF_8),
                        stderr.toString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new NodeAccessException("reading a command's output on " + endpoint + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NodeAccessException("interrupted while running a command on " + endpoint, e);
            } finally {
                channel.disconnect();
            }
        }

        @Override
        public void close() {
            channel.disconnect();
        }
    }

    @Override
    public boolean upload(RemoteFile file) {
        return upload(file, false);
    }

    @Override
    public boolean uploadKeepingOriginal(RemoteFile file) {
        return upload(file, true);
    }

    private boolean upload(RemoteFile file, boolean keepOriginal) {
        String outcome = run(NodeScripts.upload(file, keepOriginal), file.content(), commandTimeout)
                .orThrow("writing " + file.path() + " on " + endpoint).stdout().strip();
        return switch (outcome) {
            case "changed" -> true;
            case "unchanged" -> false;
            default -> throw new NodeAccessException("writing " + file.path() + " on " + endpoint + " answered '" + outcome + "'");
        };
    }

    @Override
    public PackageResult ensurePackage(String debianPackage) {
        String outcome = run(NodeScripts.ensurePackage(debianPackage), new byte[0], PACKAGE_INSTALL_TIMEOUT)
                .orThrow("installing " + debianPackage + " on " + endpoint).stdout().strip();
        return switch (outcome) {
            case "already-installed" -> PackageResult.ALREADY_INSTALLED;
            case "installed" -> PackageResult.INSTALLED;
            default -> throw new NodeAccessException("installing " + debianPackage + " on " + endpoint + " answered '" + outcome + "'");
        };
    }

    @Override
    public NodeProbeReport probe(ProbeRequest request) {
        CommandResult result = run(NodeScripts.probe(request)).orThrow("probing " + endpoint);
        return NodeProbeReport.parse(result.stdout());
    }

    @Override
    public void close() {
        session.disconnect();
    }
}
