/**
 * Real OpenSSH servers on loopback addresses, for tests and benchmarks of workers on other hosts.
 *
 * <p>{@link dev.warmpool.testkit.sshd.SshHosts} makes host and user keys with {@code ssh-keygen} in a
 * temporary directory, writes a client configuration that trusts them, and starts one
 * {@code /usr/sbin/sshd} per loopback address (127.0.0.2, 127.0.0.3, ...) on a free high port; each is a
 * separate "host" that a test can kill mid-run and start again ({@link dev.warmpool.testkit.sshd.Sshd}).
 * Nothing of the system's ssh configuration is read or changed, and closing removes the servers, their
 * sessions and the directory. Where {@code sshd} or the client tools are missing,
 * {@link dev.warmpool.testkit.sshd.Sshd#unavailable()} says why, so a caller can skip with that reason.
 */
package dev.warmpool.testkit.sshd;
