package io.bucketprotection.operator.s3;

import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * STS would not give the operator a session in an account's observer role: raised from inside a
 * credentials provider, where the SDK passes client exceptions through (perhaps wrapped), and
 * mapped once, by {@link S3ErrorMapper}, to the {@link BucketStoreException} it carries.
 */
final class RoleSessionException extends SdkClientException {

  private static final long serialVersionUID = 1L;
  private final transient BucketStoreException mapped;

  RoleSessionException(BucketStoreException mapped) {
    super(SdkClientException.builder().message(mapped.getMessage()));
    this.mapped = mapped;
  }

  BucketStoreException mapped() {
    return mapped;
  }
}
