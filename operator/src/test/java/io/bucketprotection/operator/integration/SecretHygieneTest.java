package io.bucketprotection.operator.integration;

import static io.bucketprotection.operator.testsupport.Resources.protection;
import static io.bucketprotection.operator.testsupport.Resources.rootKeys;
import static io.bucketprotection.operator.testsupport.Resources.secret;
import static io.bucketprotection.operator.testsupport.Resources.withCredentials;
import static io.bucketprotection.operator.testsupport.Resources.withMfaDelete;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import io.bucketprotection.operator.BucketProtectionOperator;
import io.bucketprotection.operator.api.AccountCredentials;
import io.bucketprotection.operator.api.AccountReference;
import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.api.ClusterS3Account;
import io.bucketprotection.operator.api.MfaSpec;
import io.bucketprotection.operator.api.S3Account;
import io.bucketprotection.operator.api.SecretsManagerReference;
import io.bucketprotection.operator.api.TotpSeedSource;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.s3.AwsBucketStore;
import io.bucketprotection.operator.s3.MfaToken;
import io.bucketprotection.operator.testsupport.Accounts;
import io.bucketprotection.operator.testsupport.FakeSecretsManagerServer;
import io.bucketprotection.operator.testsupport.MockKubernetes;
import io.bucketprotection.operator.testsupport.OperatorHarness;
import io.bucketprotection.operator.testsupport.RecordingBucketStore;
import io.bucketprotection.operator.testsupport.Resources;
import io.bucketprotection.operator.testsupport.RgwLab;
import io.bucketprotection.operator.testsupport.TokenHolder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Runs MFA scenarios against RGW with every logger at TRACE (the shipped caps still apply), with
 * the secrets in Kubernetes Secrets and in (a stand-in for) Secrets Manager, a refused code among
 * them, and codes a person annotates (one refused, one used), and looks for every seed, secret key and code sent, in every form a leak could take
 * (plain, any case, base64, URL-encoded), in every output: the logs, standard output (where the
 * audit lines go), the Events, and the status of every resource and account.
 */
class SecretHygieneTest {

  private static final String UID = "bpo-hygiene";
  private static final String ACCESS_KEY = "BPOHYGIENEACCESSKEY1";
  private static final String SECRET_KEY = "hygiene-secret-key-do-not-leak-0123456789";
  private static final String SEED = "KRUGS4ZANFZSAYLOEBWWM2JAONSWKZDB";
  private static final String WRONG_SEED = "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U";

  /** Collects every log line, formatted, with its stack trace. */
  private static final class Capture extends AppenderBase<ILoggingEvent> {
    final List<String> lines = new ArrayList<>();

    @Override
    protected synchronized void append(ILoggingEvent event) {
      String line = event.getLoggerName() + " " + event.getFormattedMessage();
      if (event.getThrowableProxy() != null) {
        line += " " + ThrowableProxyUtil.asString(event.getThrowableProxy());
      }
      lines.add(line);
    }

    synchronized String all() {
      return String.join("\n", lines);
    }

    /** The loggers whose lines contain {@code value}: names the leak without printing it. */
    synchronized List<String> loggersContaining(String value) {
      return lines.stream().filter(l -> l.contains(value)).map(l -> l.substring(0, l.indexOf(' '))).distinct().toList();
    }
  }

  /** Every form of a secret value a careless line could hold. */
  static List<String> forms(String value) {
    return List.of(value, value.toLowerCase(Locale.ROOT), value.toUpperCase(Locale.ROOT),
        Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)),
        Base64.getUrlEncoder().withoutPadding().encodeToString(value.getBytes(StandardCharsets.UTF_8)),
        URLEncoder.encode(value, StandardCharsets.UTF_8));
  }

  @Test
  void noSecretReachesAnyOutputInAnyFormAtTrace() throws Exception {
    RgwLab rgw = RgwLab.shared();
    rgw.createUser(UID, ACCESS_KEY, SECRET_KEY, 100);
    String serial = "arn:aws:iam::123456789012:mfa/hygiene";
    String wrongSerial = "arn:aws:iam::123456789012:mfa/hygiene-wrong";
    String smSerial = "arn:aws:iam::123456789012:mfa/hygiene-sm";
    String personSerial = "arn:aws:iam::123456789012:mfa/hygiene-person";
    rgw.createMfaDevice(UID, serial, SEED, RgwIntegrationTest.STEP);
    rgw.createMfaDevice(UID, wrongSerial, SEED, RgwIntegrationTest.STEP);
    rgw.createMfaDevice(UID, smSerial, SEED, RgwIntegrationTest.STEP);
    rgw.createMfaDevice(UID, personSerial, SEED, RgwIntegrationTest.STEP);
    System.setProperty("aws.accessKeyId", "OPERATORIDENTITY0001");
    System.setProperty("aws.secretAccessKey", "operator-identity-secret-key-0123456789");

    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Level previous = root.getLevel();
    Capture capture = new Capture();
    capture.setContext(root.getLoggerContext());
    capture.start();
    root.addAppender(capture);
    // Keep the TRACE flood out of the console; the capture sees everything.
    var console = root.getAppender("STDOUT");
    root.detachAppender(console);
    root.setLevel(Level.TRACE);
    // The test configuration quietens these; the shipped one does not, so open them up here.
    List<String> quietened = List.of("io.javaoperatorsdk", "io.fabric8.kubernetes.client.informers");
    quietened.forEach(name -> ((Logger) LoggerFactory.getLogger(name)).setLevel(Level.TRACE));
    // Standard output, where the audit lines go.
    PrintStream originalOut = System.out;
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    System.setOut(new PrintStream(new OutputStream() {
      @Override
      public void write(int b) {
        synchronized (stdout) {
          stdout.write(b);
        }
      }

      @Override
      public void write(byte[] b, int off, int len) {
        synchronized (stdout) {
          stdout.write(b, off, len);
        }
      }
    }, true, StandardCharsets.UTF_8));

    Map<String, String> outputs = new LinkedHashMap<>();
    List<MfaToken> sent;
    try (MockKubernetes kubernetes = new MockKubernetes();
         FakeSecretsManagerServer secretsManager = new FakeSecretsManagerServer();
         S3Client s3 = rgw.client(ACCESS_KEY, SECRET_KEY)) {
      secretsManager.putSecret("hygiene/root-keys",
          "{\"AWS_ACCESS_KEY_ID\":\"" + ACCESS_KEY + "\",\"AWS_SECRET_ACCESS_KEY\":\"" + SECRET_KEY + "\"}");
      secretsManager.putSecret("hygiene/root-mfa", "{\"seed\":\"" + SEED + "\"}");
      OperatorConfig config = OperatorConfig.fromEnvironment(Map.of(
          "AWS_ENDPOINT_URL_S3", rgw.endpoint().toString(),
          "AWS_ENDPOINT_URL_SECRETS_MANAGER", secretsManager.endpoint().toString()));
      for (String bucket : List.of("hygiene-ok", "hygiene-refused", "hygiene-sm", "hygiene-s3account",
          "hygiene-person")) {
        s3.createBucket(r -> r.bucket(bucket));
      }
      var client = kubernetes.client();
      client.resource(rootKeys("hygiene", "aws-root",
          Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", SECRET_KEY))).create();
      client.resource(secret("hygiene", "good-seed", Map.of("seed", SEED))).create();
      client.resource(secret("hygiene", "wrong-seed", Map.of("seed", WRONG_SEED))).create();

      try (AwsBucketStore aws = BucketProtectionOperator.awsBucketStore(config)) {
        RecordingBucketStore store = new RecordingBucketStore(aws);
        try (OperatorHarness operator = new OperatorHarness(client, store, config)) {
          // Inline Kubernetes Secrets: one right seed, one wrong (a refused code).
          operator.create(withCredentials(withMfaDelete(protection("hygiene", "ok", "hygiene-ok", "Enabled"),
              "Enabled", serial, "good-seed", RgwIntegrationTest.STEP), "aws-root"));
          operator.create(withCredentials(withMfaDelete(protection("hygiene", "refused", "hygiene-refused", "Enabled"),
              "Enabled", wrongSerial, "wrong-seed", RgwIntegrationTest.STEP), "aws-root"));
          // Secrets Manager, through an admin's ClusterS3Account.
          ClusterS3Account account = Accounts.cluster("hygiene-sm", List.of("hygiene-*"));
          AccountCredentials credentials = new AccountCredentials();
          credentials.setSecretsManager(new SecretsManagerReference("hygiene/root-keys", null, null));
          account.getSpec().setCredentials(credentials);
          account.getSpec().setMfa(new MfaSpec(smSerial, new TotpSeedSource(
              new SecretsManagerReference("hygiene/root-mfa", "seed", null)), RgwIntegrationTest.STEP));
          account.getSpec().setNamespaces(Accounts.names("hygiene"));
          operator.awaitAccountReady(client.resource(account).create());
          BucketProtection viaSecretsManager = protection("hygiene", "sm", "hygiene-sm", "Enabled");
          viaSecretsManager.getSpec().setMfaDelete("Enabled");
          viaSecretsManager.getSpec().setAccountRef(new AccountReference("ClusterS3Account", "hygiene-sm"));
          operator.create(viaSecretsManager);
          // A namespace's own S3Account (keys only: no device of its own, so no second seed source).
          client.resource(Accounts.namespaced("hygiene", "own", List.of("hygiene-*"), "aws-root")).create();
          BucketProtection viaS3Account = protection("hygiene", "s3account", "hygiene-s3account", "Enabled");
          viaS3Account.getSpec().setAccountRef(new AccountReference("S3Account", "own"));
          operator.create(viaS3Account);

          Duration timeout = Duration.ofSeconds(90);
          operator.awaitConverged("hygiene", "ok", timeout);
          // Refused once (MfaRejected), once more at the next step, then paused: a settled state.
          // (Waiting for MfaRejected alongside the others raced that second refusal.)
          operator.awaitReason("hygiene", "refused", "MfaDevicePaused", timeout);
          operator.awaitConverged("hygiene", "sm", timeout);
          operator.awaitConverged("hygiene", "s3account", timeout);
          // A device without a seed: a person types a wrong code, then a valid one.
          operator.create(Resources.withSeedlessMfaDelete(withCredentials(protection("hygiene", "person",
              "hygiene-person", "Enabled"), "aws-root"), personSerial, RgwIntegrationTest.STEP));
          operator.awaitReason("hygiene", "person", "AwaitingMfaCode", timeout);
          TokenHolder token = new TokenHolder(SEED, RgwIntegrationTest.STEP);
          TokenHolder.annotate(client, BucketProtection.class, "hygiene", "person", token.wrongCode());
          operator.awaitReason("hygiene", "person", "MfaRejected", timeout);
          // The valid one names its change (<code>@<change id>): that form leaks nothing either.
          String changeId = operator.get("hygiene", "person").getStatus().getMfaChangeId();
          TokenHolder.annotate(client, BucketProtection.class, "hygiene", "person", token.codeOfNextStep() + "@"
              + changeId);
          operator.awaitConverged("hygiene", "person", timeout);
          // A version deletion through the Secrets Manager account (its root keys and seed), with a code.
          client.resources(ClusterS3Account.class).withName("hygiene-sm").patch(
              io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                  io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
              Serialization.asJson(Map.of("spec", Map.of("versionDeletion", "Allow"))));
          String version = s3.putObject(r -> r.bucket("hygiene-sm").key("personal.json"),
              software.amazon.awssdk.core.sync.RequestBody.fromString("x")).versionId();
          s3.putObject(r -> r.bucket("hygiene-sm").key("personal.json"),
              software.amazon.awssdk.core.sync.RequestBody.fromString("y"));
          var deletion = new io.bucketprotection.operator.api.ObjectVersionDeletion();
          deletion.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withNamespace("hygiene")
              .withName("erase").build());
          var deletionSpec = new io.bucketprotection.operator.api.ObjectVersionDeletionSpec();
          deletionSpec.setAccountRef(new AccountReference("ClusterS3Account", "hygiene-sm"));
          deletionSpec.setBucket("hygiene-sm");
          deletionSpec.setVersions(List.of(new io.bucketprotection.operator.api.ObjectVersionDeletionSpec
              .VersionReference("personal.json", version)));
          deletionSpec.setReason("hygiene");
          deletion.setSpec(deletionSpec);
          var created = client.resource(deletion).create();
          client.resources(ClusterS3Account.class).withName("hygiene-sm").patch(
              io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                  io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
              Serialization.asJson(Map.of("metadata", Map.of("annotations", Map.of(
                  io.bucketprotection.operator.deletion.Approval.key(created),
                  io.bucketprotection.operator.deletion.Approval.value(created))))));
          var erase = client.resources(io.bucketprotection.operator.api.ObjectVersionDeletion.class)
              .inNamespace("hygiene").withName("erase");
          org.awaitility.Awaitility.await().atMost(timeout).until(() -> erase.get().getStatus() != null
              && erase.get().getStatus().getCompletionTime() != null);
          assertTrue(erase.get().getStatus().getDeleted() == 1L, "the deletion ran");
          outputs.put("events", Serialization.asJson(client.v1().events().inAnyNamespace().list()));
          outputs.put("statuses", Serialization.asJson(List.of(
              client.resources(BucketProtection.class).inAnyNamespace().list(),
              client.resources(ClusterS3Account.class).list(),
              client.resources(S3Account.class).inAnyNamespace().list(),
              client.resources(io.bucketprotection.operator.api.ObjectVersionDeletion.class).inAnyNamespace()
                  .list())));
          sent = store.tokensSent();
        }
      }
    } finally {
      root.detachAppender(capture);
      root.addAppender(console);
      root.setLevel(previous);
      quietened.forEach(name -> ((Logger) LoggerFactory.getLogger(name)).setLevel(Level.WARN));
      System.setOut(originalOut);
    }
    outputs.put("logs", capture.all());
    synchronized (stdout) {
      outputs.put("standard output", stdout.toString(StandardCharsets.UTF_8));
    }

    // The scenario really ran, with everything these checks look for.
    assertTrue(capture.lines.size() > 100, "TRACE logging was really on: " + capture.lines.size() + " lines");
    assertTrue(outputs.get("events").contains("MfaRejected") && outputs.get("events").contains("Applied"));
    assertTrue(outputs.get("standard output").contains("\"audit\":\"bucketprotection.io/v1\""), "audit lines captured");
    assertTrue(outputs.get("standard output").contains("\"codeSource\":\"person\""), "a person's code was audited");
    assertTrue(outputs.get("standard output").contains("\"DeleteObjectVersion\""), "a deleted version was audited");
    assertTrue(sent.stream().filter(t -> t.serialNumber().equals(personSerial)).count() == 2,
        "a person's refused and accepted codes were sent: " + sent);
    assertTrue(sent.size() >= 5, "codes were sent: " + sent.size());

    List<String> secrets = new ArrayList<>();
    for (String value : List.of(SEED, WRONG_SEED, SECRET_KEY)) {
      secrets.addAll(forms(value));
    }
    for (Map.Entry<String, String> output : outputs.entrySet()) {
      for (String secret : secrets) {
        assertFalse(output.getValue().contains(secret), "a secret value appears in the " + output.getKey()
            + " " + capture.loggersContaining(secret));
      }
      for (MfaToken token : sent) {
        assertFalse(output.getValue().contains(token.headerValue()), "an x-amz-mfa value appears in the "
            + output.getKey() + " " + capture.loggersContaining(token.headerValue()));
        assertFalse(Pattern.compile("(?<![0-9])" + token.code() + "(?![0-9])").matcher(output.getValue()).find(),
            "an MFA code sent appears in the " + output.getKey() + " " + capture.loggersContaining(token.code()));
      }
    }
  }
}
