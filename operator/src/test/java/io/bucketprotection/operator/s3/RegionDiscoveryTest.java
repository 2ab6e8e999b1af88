package io.bucketprotection.operator.s3;

import io.bucketprotection.operator.decide.FailureVerdicts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bucketprotection.operator.testsupport.RedirectingS3Server;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Without spec.region the default region serves only the first request: S3's 301 with
 * x-amz-bucket-region sends the operator to the bucket's region, which it then remembers.
 */
class RegionDiscoveryTest {

  private static final S3Credentials KEYS = new S3Credentials("AKIDREGIONTEST000001", "region-test-secret-key-0123456789", null);

  @Test
  void followsTheRedirectOnceAndRemembersTheRegion() throws Exception {
    try (RedirectingS3Server s3 = new RedirectingS3Server("eu-west-1");
         AwsBucketStore store = new AwsBucketStore("us-east-1", Set.of(), FailureVerdicts::isTransient)) {
      BucketAddress address = new BucketAddress(s3.endpoint(), null, "far-away", KEYS, "123456789012");
      assertEquals(new BucketState(VersioningStatus.ENABLED, false), store.observe(address).state());
      assertEquals(new BucketState(VersioningStatus.ENABLED, false), store.observe(address).state());
      List<String> regions = s3.requests().stream().map(RedirectingS3Server.Request::signedRegion).toList();
      assertEquals(List.of("us-east-1", "eu-west-1", "eu-west-1"), regions);
      // x-amz-expected-bucket-owner goes with every request.
      s3.requests().forEach(r -> assertEquals("123456789012", r.expectedBucketOwner()));
    }
  }

  @Test
  void aRegionInTheSpecIsUsedAsItIsAndAWrongOneIsReported() throws Exception {
    try (RedirectingS3Server s3 = new RedirectingS3Server("eu-west-1");
         AwsBucketStore store = new AwsBucketStore("us-east-1", Set.of(), FailureVerdicts::isTransient)) {
      BucketAddress right = new BucketAddress(s3.endpoint(), "eu-west-1", "b", KEYS);
      store.observe(right);
      assertEquals(List.of("eu-west-1"), s3.requests().stream().map(RedirectingS3Server.Request::signedRegion).toList());
      BucketAddress wrong = new BucketAddress(s3.endpoint(), "ap-south-1", "b", KEYS);
      BucketStoreException e = org.junit.jupiter.api.Assertions.assertThrows(BucketStoreException.class,
          () -> store.observe(wrong));
      assertEquals(S3ErrorKind.REGION_MISMATCH, e.kind());
    }
  }
}
