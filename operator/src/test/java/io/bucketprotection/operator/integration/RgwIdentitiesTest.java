package io.bucketprotection.operator.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.testsupport.RgwLab;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.GetBucketVersioningResponse;
import software.amazon.awssdk.services.s3.model.ListBucketsResponse;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * Records what this RadosGW (Pacific 16.2) really does with the identities an operator could act
 * as instead of the bucket owner's own keys: a subuser of the owner (its own key pair on the
 * owner's buckets) and a role session (another user assumes a role whose policy grants access to
 * the owner's buckets). Each test asserts the observed behaviour, including where it differs from
 * AWS, so a change of RGW (or of the lab's setup) fails here rather than in an operator test.
 */
class RgwIdentitiesTest {

  private static final String OWNER = "bpo-ident-owner";
  private static final String OWNER_ACCESS = "BPOIDENTOWNERKEY0001";
  private static final String OWNER_SECRET = "ident-owner-secret-0123456789abcdefghij";
  /** The identity an operator would run as: a user of its own, not the owner. */
  private static final String CALLER = "bpo-ident-operator";
  private static final String CALLER_ACCESS = "BPOIDENTCALLERKEY001";
  private static final String CALLER_SECRET = "ident-caller-secret-0123456789abcdefghi";
  private static final String STRANGER = "bpo-ident-stranger";
  private static final String STRANGER_ACCESS = "BPOIDENTSTRANGERKEY1";
  private static final String STRANGER_SECRET = "ident-stranger-secret-0123456789abcdefg";
  private static final String RW_ACCESS = "BPOIDENTSUBRWKEY0001";
  private static final String RW_SECRET = "ident-subrw-secret-0123456789abcdefghij";
  private static final String READ_ACCESS = "BPOIDENTSUBREADKEY01";
  private static final String READ_SECRET = "ident-subread-secret-0123456789abcdefghi";
  private static final String FULL_ACCESS = "BPOIDENTSUBFULLKEY01";
  private static final String FULL_SECRET = "ident-subfull-secret-0123456789abcdefghi";

  private static final String ROLE = "bpo-ident-observer";
  private static final String ROLE_WITH_EXTERNAL_ID = "bpo-ident-observer-xid";
  private static final String EXTERNAL_ID = "bpo-ident-external-id-1";
  /**
   * What the operator needs on the owner's buckets. RGW 16.2 takes the resource in the form
   * {@code arn:aws:s3:::*}; s3:PutObject is deliberately left out, to see the policy bound.
   */
  private static final String ROLE_POLICY = """
      {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetBucketVersioning",\
      "s3:PutBucketVersioning","s3:GetLifecycleConfiguration","s3:ListAllMyBuckets","s3:GetObject"],\
      "Resource":["arn:aws:s3:::*"]}]}""";

  private static final String OBJECT_KEY = "existing-object";

  private static RgwLab rgw;
  private static S3Client owner;
  private static String roleArn;
  private static String roleWithExternalIdArn;

  @BeforeAll
  static void identities() {
    rgw = RgwLab.shared();
    rgw.createUser(OWNER, OWNER_ACCESS, OWNER_SECRET, 100);
    rgw.createUser(CALLER, CALLER_ACCESS, CALLER_SECRET, 100);
    rgw.createUser(STRANGER, STRANGER_ACCESS, STRANGER_SECRET, 100);
    rgw.createSubuser(OWNER, "rw", "readwrite", RW_ACCESS, RW_SECRET);
    rgw.createSubuser(OWNER, "read", "read", READ_ACCESS, READ_SECRET);
    rgw.createSubuser(OWNER, "full", "full", FULL_ACCESS, FULL_SECRET);
    roleArn = rgw.createRole(OWNER, ROLE, CALLER, ROLE_POLICY, null);
    roleWithExternalIdArn = rgw.createRole(OWNER, ROLE_WITH_EXTERNAL_ID, CALLER, ROLE_POLICY, EXTERNAL_ID);
    owner = rgw.client(OWNER_ACCESS, OWNER_SECRET);
  }

  /** A bucket of the owner, unversioned, with one object in it. */
  private static String ownersBucket(String name) {
    owner.createBucket(r -> r.bucket(name));
    owner.putObject(r -> r.bucket(name).key(OBJECT_KEY), RequestBody.fromString("kept"));
    return name;
  }

  private static String state(S3Client s3, String bucket) {
    GetBucketVersioningResponse r = s3.getBucketVersioning(b -> b.bucket(bucket));
    return r.statusAsString() + "/" + r.mfaDeleteAsString();
  }

  private static void enableVersioning(S3Client s3, String bucket) {
    s3.putBucketVersioning(r -> r.bucket(bucket).versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED)));
  }

  private static List<String> bucketNames(ListBucketsResponse response) {
    return response.buckets().stream().map(Bucket::name).filter(n -> n.startsWith("bpo-ident-")).sorted().toList();
  }

  /** "status code" of the service's refusal. */
  private static String refusal(Executable call) {
    AwsServiceException e = assertThrows(AwsServiceException.class, call);
    return e.statusCode() + " " + e.awsErrorDetails().errorCode();
  }

  /**
   * "status code" of a refused AssumeRole, as the SDK reports it. RGW sends an S3-style body
   * ({@code <Error><Code>AccessDenied</Code>...}) where STS's query protocol has
   * {@code <ErrorResponse><Error>...}: the SDK finds no code in it, so the code is null and only
   * the 403 tells a refusal.
   */
  private static String stsRefusal(Executable call) {
    StsException e = assertThrows(StsException.class, call);
    String body = e.awsErrorDetails().rawResponse() == null ? "" : e.awsErrorDetails().rawResponse().asUtf8String();
    assertTrue(body.contains("<Error><Code>AccessDenied</Code>"), "RGW's S3-style error body: " + body);
    return e.statusCode() + " " + e.awsErrorDetails().errorCode();
  }

  /** Like {@link RgwLab#client}, for any credentials (a role session's carry a token). */
  private static S3Client client(AwsCredentials credentials) {
    return S3Client.builder()
        .endpointOverride(rgw.endpoint())
        .forcePathStyle(true)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(credentials))
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .build();
  }

  /** STS at RGW's S3 endpoint itself (rgw s3 auth use sts = true). */
  private static StsClient sts(String accessKey, String secretKey) {
    return StsClient.builder()
        .endpointOverride(rgw.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .build();
  }

  private static AssumeRoleResponse assumeRole(String accessKey, String secretKey, String arn,
      Consumer<AssumeRoleRequest.Builder> extra) {
    try (StsClient sts = sts(accessKey, secretKey)) {
      return sts.assumeRole(r -> {
        r.roleArn(arn).roleSessionName("bpo-ident-session");
        extra.accept(r);
      });
    }
  }

  private static AwsSessionCredentials session(AssumeRoleResponse response) {
    Credentials c = response.credentials();
    return AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken());
  }

  @Test
  void aReadwriteSubuserReadsAndEnablesVersioningOnTheOwnersBucketAndListsTheOwnersBuckets() {
    String bucket = ownersBucket("bpo-ident-rw");
    try (S3Client rw = rgw.client(RW_ACCESS, RW_SECRET)) {
      assertEquals("null/null", state(rw, bucket), "GetBucketVersioning of a never-versioned bucket");
      enableVersioning(rw, bucket);
      assertEquals("Enabled/Disabled", state(owner, bucket), "the owner sees the subuser's change; no MFA asked");

      ListBucketsResponse listed = rw.listBuckets();
      assertEquals(OWNER, listed.owner().id(), "a subuser lists as its user");
      assertTrue(bucketNames(listed).contains(bucket), "the OWNER's buckets: " + bucketNames(listed));
      assertEquals(bucketNames(owner.listBuckets()), bucketNames(listed));
    }
  }

  @Test
  void aReadwriteSubuserIsRefusedGetBucketLifecycleWhichTheOwnerAndAFullSubuserGet() {
    // Unlike versioning, RGW checks the lifecycle read against FULL_CONTROL: the subuser
    // permissions read, write and readwrite lack it, only "full" has it.
    String bucket = ownersBucket("bpo-ident-lifecycle");
    try (S3Client rw = rgw.client(RW_ACCESS, RW_SECRET);
         S3Client read = rgw.client(READ_ACCESS, READ_SECRET);
         S3Client full = rgw.client(FULL_ACCESS, FULL_SECRET)) {
      assertEquals("403 AccessDenied", refusal(() -> rw.getBucketLifecycleConfiguration(r -> r.bucket(bucket))));
      assertEquals("403 AccessDenied", refusal(() -> read.getBucketLifecycleConfiguration(r -> r.bucket(bucket))));
      assertEquals("404 NoSuchLifecycleConfiguration",
          refusal(() -> full.getBucketLifecycleConfiguration(r -> r.bucket(bucket))));
      assertEquals("404 NoSuchLifecycleConfiguration",
          refusal(() -> owner.getBucketLifecycleConfiguration(r -> r.bucket(bucket))));
    }
  }

  @Test
  void aReadSubuserMayChangeVersioningAndCreateBucketsButNotWriteOrDeleteObjects() {
    // "read" bounds object writes only: bucket-level changes of the owner's are let through, so on
    // RGW a read-only subuser is no guard for versioning.
    String bucket = ownersBucket("bpo-ident-read");
    try (S3Client read = rgw.client(READ_ACCESS, READ_SECRET)) {
      assertEquals("null/null", state(read, bucket));
      enableVersioning(read, bucket);
      assertEquals("Enabled/Disabled", state(owner, bucket), "PutBucketVersioning is NOT refused");
      read.putBucketVersioning(r -> r.bucket(bucket)
          .versioningConfiguration(c -> c.status(BucketVersioningStatus.SUSPENDED)));
      assertEquals("Suspended/Disabled", state(owner, bucket), "nor is suspending");

      assertEquals("kept", read.getObjectAsBytes(r -> r.bucket(bucket).key(OBJECT_KEY)).asUtf8String());
      assertEquals("403 AccessDenied", refusal(() -> read.putObject(r -> r.bucket(bucket).key("new-object"),
          RequestBody.fromString("x"))));
      assertEquals("403 AccessDenied", refusal(() -> read.deleteObject(r -> r.bucket(bucket).key(OBJECT_KEY))));
      assertEquals("403 AccessDenied", refusal(() -> read.deleteBucket(r -> r.bucket(bucket))));

      read.createBucket(r -> r.bucket("bpo-ident-made-by-read"));
      assertTrue(bucketNames(owner.listBuckets()).contains("bpo-ident-made-by-read"), "created as the owner's");
      assertEquals(bucketNames(owner.listBuckets()), bucketNames(read.listBuckets()), "the OWNER's buckets");
    }
  }

  @Test
  void theOperatorIdentityAssumesTheOwnersRoleAndItsSessionReadsAndEnablesVersioningButListsTheCallersBuckets() {
    String bucket = ownersBucket("bpo-ident-role");
    try (S3Client caller = rgw.client(CALLER_ACCESS, CALLER_SECRET)) {
      caller.createBucket(r -> r.bucket("bpo-ident-callers-own"));
    }
    assertEquals("arn:aws:iam:::role/" + ROLE, roleArn, "RGW's role ARN: no account, path /");

    AssumeRoleResponse assumed = assumeRole(CALLER_ACCESS, CALLER_SECRET, roleArn, r -> { });
    assertEquals("arn:aws:sts:::assumed-role/" + ROLE + "/bpo-ident-session", assumed.assumedRoleUser().arn());
    assertNotNull(assumed.credentials().sessionToken());
    try (S3Client session = client(session(assumed))) {
      assertEquals("null/null", state(session, bucket), "GetBucketVersioning on the owner's bucket");
      enableVersioning(session, bucket);
      assertEquals("Enabled/Disabled", state(owner, bucket), "PutBucketVersioning allowed by the policy; no MFA asked");
      assertEquals("404 NoSuchLifecycleConfiguration",
          refusal(() -> session.getBucketLifecycleConfiguration(r -> r.bucket(bucket))));
      assertEquals("kept", session.getObjectAsBytes(r -> r.bucket(bucket).key(OBJECT_KEY)).asUtf8String());
      assertEquals("403 AccessDenied", refusal(() -> session.putObject(r -> r.bucket(bucket).key("new-object"),
          RequestBody.fromString("x"))), "not in the role policy");

      // Unlike AWS (the role's account): the CALLER's buckets, as the caller.
      ListBucketsResponse listed = session.listBuckets();
      assertEquals(CALLER, listed.owner().id());
      assertEquals(List.of("bpo-ident-callers-own"), bucketNames(listed));
    }
  }

  @Test
  void aUserTheTrustPolicyDoesNotNameIsRefusedAssumeRoleEvenTheRolesOwner() {
    assertEquals("403 null", stsRefusal(() -> assumeRole(STRANGER_ACCESS, STRANGER_SECRET, roleArn, r -> { })));
    assertEquals("403 null", stsRefusal(() -> assumeRole(OWNER_ACCESS, OWNER_SECRET, roleArn, r -> { })),
        "the role is no user's own: only the principals its trust policy names may assume it");
  }

  @Test
  void aRoleWithoutAnExternalIdConditionIgnoresAnyExternalIdSent() {
    AssumeRoleResponse assumed = assumeRole(CALLER_ACCESS, CALLER_SECRET, roleArn,
        r -> r.externalId("anything-at-all"));
    assertNotNull(assumed.credentials().sessionToken());
  }

  @Test
  void anExternalIdConditionIsNeverMatchedSoTheRoleCannotBeAssumedEvenWithTheRightId() {
    // RGW 16.2 stores the sts:ExternalId condition but does not put the request's ExternalId
    // into the trust policy's context: the condition fails whatever is sent. An external id
    // cannot guard a role on this RGW; should this start to pass, it is enforced after all.
    assertEquals("arn:aws:iam:::role/" + ROLE_WITH_EXTERNAL_ID, roleWithExternalIdArn);
    assertEquals("403 null",
        stsRefusal(() -> assumeRole(CALLER_ACCESS, CALLER_SECRET, roleWithExternalIdArn, r -> { })), "without");
    assertEquals("403 null", stsRefusal(() -> assumeRole(CALLER_ACCESS, CALLER_SECRET, roleWithExternalIdArn,
        r -> r.externalId("bpo-ident-wrong-id"))), "a wrong one");
    assertEquals("403 null", stsRefusal(() -> assumeRole(CALLER_ACCESS, CALLER_SECRET, roleWithExternalIdArn,
        r -> r.externalId(EXTERNAL_ID))), "the right one");
  }

  @Test
  void reRunningTheLabsRoleAndSubuserCommandsUpdatesInPlace() {
    // Idempotence the other tests rely on when a lab is reused: same ARN, same keys still work.
    assertEquals(roleArn, rgw.createRole(OWNER, ROLE, CALLER, ROLE_POLICY, null));
    rgw.createSubuser(OWNER, "rw", "readwrite", RW_ACCESS, RW_SECRET);
    try (S3Client rw = rgw.client(RW_ACCESS, RW_SECRET)) {
      assertEquals(OWNER, rw.listBuckets().owner().id());
    }
    assertNotNull(assumeRole(CALLER_ACCESS, CALLER_SECRET, roleArn, r -> { }).credentials());
  }
}
