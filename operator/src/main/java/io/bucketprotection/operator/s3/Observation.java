package io.bucketprotection.operator.s3;

import java.time.Instant;

/**
 * One GetBucketVersioning: the bucket's state, and the server's clock from the response's Date
 * header (null when absent), so the operator can check its own clock before making TOTP codes
 * without another call.
 */
public record Observation(BucketState state, Instant serverTime) {
}
