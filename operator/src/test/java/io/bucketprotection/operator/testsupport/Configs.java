package io.bucketprotection.operator.testsupport;

import io.bucketprotection.operator.config.OperatorConfig;

/** Configuration tweaks only tests need. */
public final class Configs {

  private Configs() {
  }

  /**
   * JOSDK ends the process when an instance loses its lease (right for a pod, fatal for a test
   * JVM running several instances): the same configuration with that turned off.
   */
  public static OperatorConfig withoutExitOnLeaderLoss(OperatorConfig c) {
    return c.withLeaderElection(c.leaderElection().withExitOnLoss(false));
  }
}
