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
    return new OperatorConfig(c.namespaces(), c.labelSelector(), c.defaultRegion(), c.defaultEndpoint(),
        c.defaultCheckInterval(), c.reconcileThreads(), c.mfaPause(), c.maxClockSkew(), c.secretsManagerEndpoint(),
        c.secretsCacheLifetime(), c.contentMd5Endpoints(), c.httpPort(), c.leaderElection().withExitOnLoss(false),
        c.logLevel(), c.logFormat());
  }
}
