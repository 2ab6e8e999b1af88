package io.bucketprotection.operator.metrics;

import io.bucketprotection.operator.s3.BucketStoreException;

/** Times one S3 call by operation and outcome (bpo_s3_requests): shared by the metered stores. */
final class S3Timer {

  /** One call of a store. */
  interface Call<T> {
    T run() throws BucketStoreException;
  }

  private S3Timer() {
  }

  /** The outcome is "ok" or the failure's kind. */
  static <T> T timed(OperatorMetrics metrics, String operation, Call<T> call) throws BucketStoreException {
    long start = System.nanoTime();
    try {
      T result = call.run();
      metrics.s3Call(operation, "ok", System.nanoTime() - start);
      return result;
    } catch (BucketStoreException e) {
      metrics.s3Call(operation, e.kind().name(), System.nanoTime() - start);
      throw e;
    }
  }
}
