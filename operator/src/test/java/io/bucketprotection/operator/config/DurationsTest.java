package io.bucketprotection.operator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DurationsTest {

  @Test
  void parsesAndFormats() {
    assertEquals(Duration.ofSeconds(30), Durations.parse("30s"));
    assertEquals(Duration.ofMinutes(90), Durations.parse("1h30m"));
    assertEquals(Duration.ofSeconds(3725), Durations.parse("1h2m5s"));
    assertEquals("1h30m", Durations.format(Duration.ofMinutes(90)));
    assertEquals("0s", Durations.format(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> Durations.parse("5"));
    assertThrows(IllegalArgumentException.class, () -> Durations.parse("5d"));
    assertThrows(IllegalArgumentException.class, () -> Durations.parse("99999999999999999999s"));
    assertThrows(IllegalArgumentException.class, () -> Durations.parse("9999999999999999h"));
    assertThrows(IllegalArgumentException.class, () -> Durations.parse("9223372036854775807s9223372036854775807s"));
    assertThrows(IllegalArgumentException.class, () -> Durations.parse("1s".repeat(5_000)), "10 KB: refused, no recursion");
    assertThrows(IllegalArgumentException.class, () -> Durations.parse(""));
    assertThrows(IllegalArgumentException.class, () -> Durations.parse("s"));
    assertThrows(IllegalArgumentException.class, () -> Durations.parse("1h30"));
    assertThrows(IllegalArgumentException.class, () -> Durations.parse("1 h"));
    assertEquals(Duration.ofSeconds(0), Durations.parse("0s"));
  }

  @Test
  void operatorSettingsComeFromTheEnvironment() {
    OperatorConfig config = OperatorConfig.fromEnvironment(Map.of(
        "BPO_WATCH_NAMESPACES", "team-a, team-b", "AWS_REGION", "eu-west-1",
        "AWS_ENDPOINT_URL_S3", "http://127.0.0.1:7480", "BPO_DEFAULT_CHECK_INTERVAL", "1m"));
    assertEquals(java.util.Set.of("team-a", "team-b"), config.namespaces());
    assertEquals("eu-west-1", config.defaultRegion());
    assertEquals("http://127.0.0.1:7480", config.defaultEndpoint().toString());
    assertEquals(Duration.ofMinutes(1), config.defaultCheckInterval());
    assertThrows(IllegalArgumentException.class,
        () -> OperatorConfig.fromEnvironment(Map.of("BPO_DEFAULT_CHECK_INTERVAL", "1s")));
  }

  @Test
  void flagsOverrideTheEnvironmentAndUnknownFlagsAreRefused() {
    OperatorConfig config = OperatorConfig.fromEnvironmentAndArgs(
        Map.of("BPO_WATCH_NAMESPACES", "team-a", "POD_NAMESPACE", "ops", "POD_NAME", "operator-0"),
        new String[] {"--watch-namespaces=team-b,team-c", "--label-selector=fleet=eu", "--log-level=debug",
            "--log-format=json", "--leader-election=true", "--http-port=9090"});
    assertEquals(java.util.Set.of("team-b", "team-c"), config.namespaces());
    assertEquals("fleet=eu", config.labelSelector());
    assertEquals("DEBUG", config.logLevel());
    assertEquals("json", config.logFormat());
    assertEquals(9090, config.httpPort());
    assertEquals("ops", config.leaderElection().leaseNamespace());
    assertEquals("operator-0", config.leaderElection().identity());
    assertEquals(true, config.leaderElection().exitOnLoss());
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> OperatorConfig.fromEnvironmentAndArgs(Map.of(), new String[] {"--watch-namespace=x"}));
    org.junit.jupiter.api.Assertions.assertTrue(unknown.getMessage().contains("--watch-namespaces"), unknown.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> OperatorConfig.fromEnvironmentAndArgs(Map.of(), new String[] {"--leader-election=true"}));
  }
}
