package io.bucketprotection.operator.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check} on a pull request: the input is the pull request's, so its accounts are not trusted.
 * Resources bind only to accounts of {@code --accounts FILE} (or of the input with
 * {@code --trust-input-accounts}), and requests go only to AWS and to {@code --allowed-endpoints}.
 * Counted at the wire: every endpoint here is a socket that counts the connections it accepts.
 */
class CheckTrustTest {

  private static final String API = "apiVersion: bucketprotection.io/v1alpha1\n";

  private final List<Listener> listeners = new ArrayList<>();
  private Listener prEndpoint;
  private Listener allowedEndpoint;

  @BeforeEach
  void listen() throws IOException {
    prEndpoint = listener();
    allowedEndpoint = listener();
  }

  @AfterEach
  void close() {
    listeners.forEach(Listener::close);
  }

  /** The CI job's own keys (so the SDK's default chain never looks further) and no default endpoint: AWS. */
  private static final Map<String, String> ENV = Map.of("AWS_ACCESS_KEY_ID", "AKIACIJOBREADONLY",
      "AWS_SECRET_ACCESS_KEY", "ci-job-secret-key", "AWS_REGION", "us-east-1");

  @Test
  void aPullRequestsOwnAccountAtANewEndpointGetsNoRequest() {
    String pr = clusterAccount("pr-account", prEndpoint.endpoint()) + protection("grab", "pr-account")
        + policy("fleet", "pr-account");
    for (String[] args : List.<String[]>of(new String[] {"--output", "json"},
        new String[] {"--output", "json", "--allowed-endpoints", allowedEndpoint.endpoint().toString()})) {
      CheckRun run = CheckRun.of(ENV, pr, args);
      assertEquals(0, prEndpoint.connections(), "the pull request's endpoint got no connection: " + run);
      assertEquals(0, allowedEndpoint.connections(), run.toString());
      assertEquals(1, run.exitCode(), run.toString());
      for (JsonNode refused : List.of(run.resource("BucketProtection", "team", "grab"),
          run.resource("BucketProtectionPolicy", "team", "fleet"))) {
        assertEquals("refused", refused.path("action").asText(), refused.toString());
        assertEquals("AccountNotTrusted", refused.path("reason").asText(), refused.toString());
        String message = refused.path("message").asText();
        assertTrue(message.startsWith("ClusterS3Account pr-account comes from the input"), message);
        assertTrue(message.contains("--accounts FILE") && message.contains("--trust-input-accounts"), message);
      }
      // The account itself is still validated, and says it was not used.
      JsonNode account = run.resource("ClusterS3Account", null, "pr-account");
      assertEquals("none", account.path("action").asText(), account.toString());
      assertTrue(account.path("notes").toString().contains("not used to bind"), account.toString());
    }
  }

  @Test
  void anInputAccountAtAnAllowedEndpointIsStillNotTrusted() {
    String pr = clusterAccount("pr-account", allowedEndpoint.endpoint()) + protection("grab", "pr-account")
        + policy("fleet", "pr-account");
    CheckRun run = CheckRun.of(ENV, pr, "--output", "json", "--allowed-endpoints",
        allowedEndpoint.endpoint().toString());
    assertEquals(0, allowedEndpoint.connections(), "an allowed endpoint, but an untrusted account: " + run);
    assertEquals(1, run.exitCode(), run.toString());
    assertEquals("AccountNotTrusted", run.resource("BucketProtection", "team", "grab").path("reason").asText(),
        run.toString());
    assertEquals("AccountNotTrusted", run.resource("BucketProtectionPolicy", "team", "fleet").path("reason").asText(),
        run.toString());
  }

  @Test
  void anAccountOfTheAccountsFileIsReadOnlyAtAnAllowedEndpoint(@TempDir Path dir) throws IOException {
    Path accounts = dir.resolve("accounts.yaml");
    Files.writeString(accounts, clusterAccount("shared", allowedEndpoint.endpoint()));
    String pr = protection("grab", "shared");

    CheckRun notAllowed = CheckRun.of(ENV, pr, "--output", "json", "--accounts", accounts.toString());
    assertEquals(0, allowedEndpoint.connections(), "not on --allowed-endpoints: " + notAllowed);
    assertEquals(1, notAllowed.exitCode(), notAllowed.toString());
    JsonNode grab = notAllowed.resource("BucketProtection", "team", "grab");
    assertEquals("EndpointNotAllowed", grab.path("reason").asText(), grab.toString());
    assertEquals("ClusterS3Account shared", grab.path("account").asText(), grab.toString());
    assertTrue(grab.path("message").asText().contains(origin(allowedEndpoint.endpoint()) + " is not on"
        + " --allowed-endpoints"), grab.toString());

    // The same, allowed: the counter above can count.
    CheckRun allowed = CheckRun.of(ENV, pr, "--output", "json", "--accounts", accounts.toString(),
        "--allowed-endpoints", allowedEndpoint.endpoint().toString());
    assertTrue(allowedEndpoint.connections() > 0, "the trusted account was read at its allowed endpoint: " + allowed);
    grab = allowed.resource("BucketProtection", "team", "grab");
    assertEquals("EndpointUnreachable", grab.path("reason").asText(), "the socket answers nothing: " + grab);
    assertTrue(grab.path("notes").toString().contains("ClusterS3Account shared comes from --accounts"), grab.toString());
  }

  @Test
  void theInputCannotReplaceAnAccountOfTheAccountsFile(@TempDir Path dir) throws IOException {
    Path accounts = dir.resolve("accounts.yaml");
    Files.writeString(accounts, clusterAccount("shared", allowedEndpoint.endpoint()));
    // The pull request redefines the trusted account to point at its own endpoint, and allows it too.
    String pr = clusterAccount("shared", prEndpoint.endpoint()) + protection("grab", "shared");
    CheckRun run = CheckRun.of(ENV, pr, "--output", "json", "--accounts", accounts.toString(),
        "--allowed-endpoints", allowedEndpoint.endpoint() + "," + prEndpoint.endpoint());
    assertEquals(0, prEndpoint.connections(), run.toString());
    assertTrue(allowedEndpoint.connections() > 0, "read through the trusted version: " + run);
    JsonNode grab = run.resource("BucketProtection", "team", "grab");
    assertEquals(allowedEndpoint.endpoint().toString(), grab.path("endpoint").asText(), grab.toString());
    assertTrue(run.resource("ClusterS3Account", null, "shared").path("notes").toString()
        .contains("the version in --accounts is used"), run.toString());
  }

  @Test
  void trustInputAccountsBindsTheInputsAccountsAsBefore() {
    String input = clusterAccount("own", allowedEndpoint.endpoint()) + protection("mine", "own");
    CheckRun run = CheckRun.of(ENV, input, "--output", "json", "--trust-input-accounts",
        "--allowed-endpoints", allowedEndpoint.endpoint().toString());
    assertTrue(allowedEndpoint.connections() > 0, run.toString());
    JsonNode mine = run.resource("BucketProtection", "team", "mine");
    assertEquals("ClusterS3Account own", mine.path("account").asText(), mine.toString());
    assertTrue(mine.path("notes").toString().contains("ClusterS3Account own comes from the input"), mine.toString());

    // Trusted, but at an endpoint the job may not send to: still nothing.
    CheckRun elsewhere = CheckRun.of(ENV, clusterAccount("own", prEndpoint.endpoint()) + protection("mine", "own"),
        "--output", "json", "--trust-input-accounts");
    assertEquals(0, prEndpoint.connections(), elsewhere.toString());
    assertEquals("EndpointNotAllowed", elsewhere.resource("BucketProtection", "team", "mine").path("reason").asText(),
        elsewhere.toString());
  }

  @Test
  void theDefaultEndpointIsReadOnlyWhenAllowed() {
    Map<String, String> env = new java.util.HashMap<>(ENV);
    env.put("AWS_ENDPOINT_URL_S3", prEndpoint.endpoint().toString());
    String inline = API + "kind: BucketProtection\nmetadata: {name: inline, namespace: team}\n"
        + "spec: {bucket: team-bucket, versioning: Enabled, credentials: {secretRef: {name: keys}}}\n";
    CheckRun run = CheckRun.of(env, inline, "--output", "json");
    assertEquals(0, prEndpoint.connections(), run.toString());
    assertEquals("EndpointNotAllowed", run.resource("BucketProtection", "team", "inline").path("reason").asText(),
        run.toString());
    CheckRun allowed = CheckRun.of(env, inline, "--output", "json", "--allowed-endpoints",
        prEndpoint.endpoint().toString());
    assertTrue(prEndpoint.connections() > 0, allowed.toString());
  }

  @Test
  void offlineBindsOnlyTrustedAccountsToo() {
    String input = clusterAccount("own", prEndpoint.endpoint()) + protection("mine", "own");
    CheckRun run = CheckRun.of(ENV, input, "--offline", "--output", "json");
    assertEquals(1, run.exitCode(), run.toString());
    assertEquals("AccountNotTrusted", run.resource("BucketProtection", "team", "mine").path("reason").asText());
    CheckRun trusted = CheckRun.of(ENV, input, "--offline", "--output", "json", "--trust-input-accounts");
    assertEquals(0, trusted.exitCode(), trusted.toString());
    assertEquals("not-observed", trusted.resource("BucketProtection", "team", "mine").path("action").asText());
    assertEquals(0, prEndpoint.connections());
  }

  @Test
  void theFlagsAreInTheHelpAndBadValuesAreUsageErrors(@TempDir Path dir) {
    CheckRun help = CheckRun.of(ENV, "", "--help");
    assertEquals(0, help.exitCode(), help.toString());
    for (String flag : List.of("--accounts FILE", "--trust-input-accounts", "--allowed-endpoints URL[,URL...]")) {
      assertTrue(help.stdout().contains(flag), help.stdout());
    }
    for (String[] args : List.of(new String[] {"--allowed-endpoints", "ftp://x"},
        new String[] {"--allowed-endpoints", "http://user@host:1"}, new String[] {"--allowed-endpoints"},
        new String[] {"--accounts"}, new String[] {"--accounts", "-"})) {
      CheckRun run = CheckRun.of(ENV, "", args);
      assertEquals(1, run.exitCode(), run.toString());
      assertEquals("", run.stdout(), run.toString());
      assertTrue(run.stderr().contains("usage: "), run.toString());
    }
    CheckRun missing = CheckRun.of(ENV, "", "--accounts", dir.resolve("none.yaml").toString());
    assertEquals(1, missing.exitCode(), missing.toString());
    assertTrue(missing.stderr().contains("--accounts: no such file or folder"), missing.toString());
  }

  private static String clusterAccount(String name, URI endpoint) {
    return API + "kind: ClusterS3Account\nmetadata: {name: " + name + "}\nspec:\n  endpoint: " + endpoint
        + "\n  region: us-east-1\n  credentials: {secretRef: {name: root-keys}}\n  buckets: [\"team-*\"]\n"
        + "  namespaces: {names: [team]}\n---\n";
  }

  private static String protection(String name, String account) {
    return API + "kind: BucketProtection\nmetadata: {name: " + name + ", namespace: team}\n"
        + "spec: {bucket: team-" + name + ", versioning: Enabled, accountRef: {kind: ClusterS3Account, name: "
        + account + "}}\n---\n";
  }

  private static String policy(String name, String account) {
    return API + "kind: BucketProtectionPolicy\nmetadata: {name: " + name + ", namespace: team}\n"
        + "spec:\n  accountRef: {kind: ClusterS3Account, name: " + account + "}\n"
        + "  selector: {include: [\"team-*\"]}\n  template: {versioning: Enabled}\n---\n";
  }

  private static String origin(URI endpoint) {
    return endpoint.getScheme() + "://" + endpoint.getHost() + ":" + endpoint.getPort();
  }

  private Listener listener() throws IOException {
    Listener l = new Listener();
    listeners.add(l);
    return l;
  }

  /**
   * A socket that counts each connection, then closes it. The count is taken before the close, and
   * a client that connected waits for an answer until the close: so once a check has returned, every
   * connection it opened has been counted, without waiting for anything.
   */
  private static final class Listener implements AutoCloseable {
    private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final AtomicInteger connections = new AtomicInteger();

    Listener() throws IOException {
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            var client = socket.accept();
            connections.incrementAndGet();
            client.close();
          }
        } catch (IOException closed) {
          // the test is over
        }
      }, "check-trust-listener");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    URI endpoint() {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }

    int connections() {
      return connections.get();
    }

    @Override
    public void close() {
      try {
        socket.close();
      } catch (IOException e) {
        // already closed
      }
    }
  }
}
