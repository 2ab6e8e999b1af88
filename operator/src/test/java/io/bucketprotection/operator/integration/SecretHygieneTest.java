package io.bucketprotection.operator.integration;

import static io.bucketprotection.operator.testsupport.Resources.protection;
import static io.bucketprotection.operator.testsupport.Resources.readyReason;
import static io.bucketprotection.operator.testsupport.Resources.secret;
import static io.bucketprotection.operator.testsupport.Resources.withCredentials;
import static io.bucketprotection.operator.testsupport.Resources.withMfaDelete;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.reconcile.decide.FailureVerdicts;
import io.bucketprotection.operator.s3.AwsBucketStore;
import io.bucketprotection.operator.s3.MfaToken;
import io.bucketprotection.operator.testsupport.MockKubernetes;
import io.bucketprotection.operator.testsupport.OperatorHarness;
import io.bucketprotection.operator.testsupport.RecordingBucketStore;
import io.bucketprotection.operator.testsupport.RgwLab;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Runs an MFA scenario against RGW with every logger at TRACE (the shipped caps still apply) and
 * checks that no seed, secret key or MFA code sent reaches the logs, the events or the status.
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

  @Test
  void noSecretReachesLogsEventsOrStatusAtTrace() {
    RgwLab rgw = RgwLab.shared();
    rgw.createUser(UID, ACCESS_KEY, SECRET_KEY, 100);
    String serial = "arn:aws:iam::123456789012:mfa/hygiene";
    String wrongSerial = "arn:aws:iam::123456789012:mfa/hygiene-wrong";
    rgw.createMfaDevice(UID, serial, SEED, RgwIntegrationTest.STEP);
    rgw.createMfaDevice(UID, wrongSerial, SEED, RgwIntegrationTest.STEP);

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

    String events;
    String statuses;
    List<MfaToken> sent;
    try (MockKubernetes kubernetes = new MockKubernetes();
         S3Client s3 = rgw.client(ACCESS_KEY, SECRET_KEY);
         AwsBucketStore aws = new AwsBucketStore("us-east-1", java.util.Set.of(), FailureVerdicts::isTransient)) {
      s3.createBucket(r -> r.bucket("hygiene-ok"));
      s3.createBucket(r -> r.bucket("hygiene-refused"));
      var client = kubernetes.client();
      client.resource(secret("hygiene", "aws-root",
          Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", SECRET_KEY))).create();
      client.resource(secret("hygiene", "good-seed", Map.of("seed", SEED))).create();
      client.resource(secret("hygiene", "wrong-seed", Map.of("seed", WRONG_SEED))).create();

      RecordingBucketStore store = new RecordingBucketStore(aws);
      OperatorConfig config = OperatorConfig.fromEnvironment(Map.of("AWS_ENDPOINT_URL_S3", rgw.endpoint().toString()));
      try (OperatorHarness operator = new OperatorHarness(client, store, config)) {
        operator.create(withCredentials(withMfaDelete(protection("hygiene", "ok", "hygiene-ok", "Enabled"),
            "Enabled", serial, "good-seed", RgwIntegrationTest.STEP), "aws-root"));
        operator.create(withCredentials(withMfaDelete(protection("hygiene", "refused", "hygiene-refused", "Enabled"),
            "Enabled", wrongSerial, "wrong-seed", RgwIntegrationTest.STEP), "aws-root"));
        await().atMost(Duration.ofSeconds(60)).until(() ->
            "Applied".equals(readyReason(operator.get("hygiene", "ok")))
                && "MfaRejected".equals(readyReason(operator.get("hygiene", "refused"))));
        events = Serialization.asJson(client.v1().events().inNamespace("hygiene").list());
        statuses = Serialization.asJson(List.of(operator.get("hygiene", "ok").getStatus(),
            operator.get("hygiene", "refused").getStatus()));
        sent = store.tokensSent();
      }
    } finally {
      root.detachAppender(capture);
      root.addAppender(console);
      root.setLevel(previous);
      quietened.forEach(name -> ((Logger) LoggerFactory.getLogger(name)).setLevel(Level.WARN));
    }

    String logs = capture.all();
    assertTrue(capture.lines.size() > 100, "TRACE logging was really on: " + capture.lines.size() + " lines");
    assertTrue(events.contains("MfaRejected") && events.contains("Applied"), "the scenario produced its events");
    assertTrue(sent.size() >= 2, "codes were sent: " + sent.size());

    Map<String, String> places = Map.of("logs", logs, "events", events, "status", statuses);
    List<String> secrets = new ArrayList<>(List.of(SEED, WRONG_SEED, SECRET_KEY));
    for (Map.Entry<String, String> place : places.entrySet()) {
      for (String secret : secrets) {
        assertFalse(place.getValue().contains(secret), "a secret value appears in the " + place.getKey()
            + " " + capture.loggersContaining(secret));
        assertFalse(place.getValue().toLowerCase().contains(secret.toLowerCase()),
            "a secret value (any case) appears in the " + place.getKey());
      }
      for (MfaToken token : sent) {
        assertFalse(place.getValue().contains(token.headerValue()), "an x-amz-mfa value appears in the "
            + place.getKey() + " " + capture.loggersContaining(token.headerValue()));
        assertFalse(Pattern.compile("(?<![0-9])" + token.code() + "(?![0-9])").matcher(place.getValue()).find(),
            "an MFA code sent appears in the " + place.getKey());
      }
    }
  }
}
