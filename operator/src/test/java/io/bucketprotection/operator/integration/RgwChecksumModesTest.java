package io.bucketprotection.operator.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.bucketprotection.operator.mfa.TotpCodeGenerator;
import io.bucketprotection.operator.mfa.TotpSeed;
import io.bucketprotection.operator.decide.FailureVerdicts;
import io.bucketprotection.operator.s3.AwsBucketStore;
import io.bucketprotection.operator.s3.BucketAddress;
import io.bucketprotection.operator.s3.BucketState;
import io.bucketprotection.operator.s3.MfaToken;
import io.bucketprotection.operator.s3.S3Credentials;
import io.bucketprotection.operator.s3.VersioningStatus;
import io.bucketprotection.operator.testsupport.RgwLab;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;

/**
 * Every request the operator sends works on RGW with both checksum settings: CRC32 only where
 * required (the default) and Content-MD5 (BPO_CONTENT_MD5_ENDPOINTS, for servers that only know
 * MD5). A capturing endpoint shows which header each setting really sends.
 */
class RgwChecksumModesTest {

  private static final String UID = "bpo-checksums";
  private static final String ACCESS_KEY = "BPOCHECKSUMSKEY00001";
  private static final String SECRET_KEY = "checksums-secret-key-0123456789abcdefgh";
  private static final String SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

  @ParameterizedTest(name = "contentMd5={0}")
  @ValueSource(booleans = {false, true})
  void everyOperatorRequestWorksOnRgw(boolean contentMd5) throws Exception {
    RgwLab rgw = RgwLab.shared();
    rgw.createUser(UID, ACCESS_KEY, SECRET_KEY, 100);
    String serial = "arn:aws:iam::123456789012:mfa/checksums-" + contentMd5;
    rgw.createMfaDevice(UID, serial, SEED, 5);
    String bucket = "checksums-" + contentMd5;
    String withLifecycle = "checksums-lifecycle-" + contentMd5;
    try (S3Client admin = rgw.client(ACCESS_KEY, SECRET_KEY);
         AwsBucketStore store = new AwsBucketStore("us-east-1",
             contentMd5 ? Set.of(rgw.endpoint().toString()) : Set.of(), FailureVerdicts::isTransient)) {
      admin.createBucket(r -> r.bucket(bucket));
      admin.createBucket(r -> r.bucket(withLifecycle));
      admin.putBucketLifecycleConfiguration(r -> r.bucket(withLifecycle).lifecycleConfiguration(c -> c.rules(
          rule -> rule.id("expire").status(ExpirationStatus.ENABLED).filter(f -> f.prefix("tmp/"))
              .expiration(e -> e.days(1)))));
      S3Credentials keys = new S3Credentials(ACCESS_KEY, SECRET_KEY, null);
      BucketAddress address = new BucketAddress(rgw.endpoint(), null, bucket, keys);

      assertEquals(BucketState.UNVERSIONED, store.observe(address).state());
      assertNotNull(store.observe(address).serverTime(), "RGW's Date header is read");
      assertFalse(store.hasLifecycleRules(address));
      assertTrue(store.hasLifecycleRules(new BucketAddress(rgw.endpoint(), null, withLifecycle, keys)));
      store.putVersioning(address, new BucketState(VersioningStatus.ENABLED, false), Optional.empty());
      long step = System.currentTimeMillis() / 5000;
      String code = new TotpCodeGenerator().code(TotpSeed.parse(SEED), step);
      store.putVersioning(address, new BucketState(VersioningStatus.ENABLED, true), Optional.of(new MfaToken(serial, code)));
      assertEquals(new BucketState(VersioningStatus.ENABLED, true), store.observe(address).state());
    }
  }

  @ParameterizedTest(name = "contentMd5={0}")
  @ValueSource(booleans = {false, true})
  void theChecksumHeaderIsTheConfiguredOne(boolean contentMd5) throws Exception {
    Map<String, String> headers = new ConcurrentHashMap<>();
    byte[][] body = new byte[1][];
    HttpServer capture = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    capture.createContext("/", exchange -> {
      body[0] = exchange.getRequestBody().readAllBytes();
      exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
      exchange.getResponseHeaders().add("x-amz-request-id", "capture");
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    capture.start();
    URI endpoint = URI.create("http://127.0.0.1:" + capture.getAddress().getPort());
    try (AwsBucketStore store = new AwsBucketStore("us-east-1", contentMd5 ? Set.of(endpoint + "/") : Set.of(), FailureVerdicts::isTransient)) {
      store.putVersioning(new BucketAddress(endpoint, "us-east-1", "b", new S3Credentials("AKIDCAPTURE000000001",
          "capture-secret-key-0123456789abcdefghij", null)), new BucketState(VersioningStatus.ENABLED, false),
          Optional.empty());
    } finally {
      capture.stop(0);
    }
    if (contentMd5) {
      // The legacy plugin adds a correct Content-MD5 (what MD5-only servers check); the SDK keeps
      // CRC32 too for this checksum-required operation, a header such servers ignore.
      String md5 = java.util.Base64.getEncoder().encodeToString(
          java.security.MessageDigest.getInstance("MD5").digest(body[0]));
      assertEquals(md5, headers.get("content-md5"), headers.toString());
    } else {
      assertNotNull(headers.get("x-amz-checksum-crc32"), headers.toString());
      assertNull(headers.get("content-md5"), headers.toString());
    }
  }
}
