package io.bucketprotection.operator.s3;

import io.bucketprotection.operator.aws.ClientPool;
import io.bucketprotection.operator.aws.ServerText;
import java.io.InputStream;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.AwsRequest;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.GetBucketVersioningResponse;
import software.amazon.awssdk.services.s3.model.ListBucketsResponse;
import software.amazon.awssdk.services.s3.model.MFADelete;
import software.amazon.awssdk.services.s3.model.MFADeleteStatus;
import software.amazon.awssdk.services.s3.model.PutBucketVersioningRequest;
import software.amazon.awssdk.services.s3.model.PutBucketVersioningResponse;
import software.amazon.awssdk.services.s3.model.VersioningConfiguration;

/**
 * {@link BucketStore} and {@link VersionStore} on the AWS SDK for Java v2: with
 * {@link AwsVersionCalls}, to which it hands the version calls, the only code that calls S3.
 */
public final class AwsBucketStore implements BucketStore, VersionStore, BucketLister, IdentityChecks, AutoCloseable {

  /**
   * S3 clients kept at once. Far above the (endpoint, region, credentials) combinations a real
   * cluster uses, yet a bound on what rotating a Secret or spec.region can make the operator build.
   */
  public static final int DEFAULT_CLIENT_CAPACITY = 256;
  /** ListBuckets page size asked for (a server may send fewer, or, as RadosGW, all at once). */
  static final int LIST_PAGE = 1000;

  private final S3ClientCache clients;
  private final Identities identities;
  private final String defaultRegion;

  private final Retries retries;
  private final AwsVersionCalls versionCalls;
  private volatile ListingBudget.Limits listingLimits = ListingBudget.Limits.DEFAULT;

  /**
   * @param defaultRegion serves the first request for buckets whose region the spec does not give
   * @param contentMd5Endpoints endpoints that need Content-MD5 instead of CRC32 checksums
   * @param retriedAtOnce failures worth a quick second attempt inside the same call (transient
   *     ones); the reason table decides which, and the operator's wiring passes it in
   */
  public AwsBucketStore(String defaultRegion, Set<String> contentMd5Endpoints, Predicate<S3ErrorKind> retriedAtOnce) {
    this(defaultRegion, contentMd5Endpoints, retriedAtOnce, DEFAULT_CLIENT_CAPACITY);
  }

  /** @param clientCapacity most S3 clients kept at once; the least recently used one makes way */
  public AwsBucketStore(String defaultRegion, Set<String> contentMd5Endpoints, Predicate<S3ErrorKind> retriedAtOnce,
      int clientCapacity) {
    this(defaultRegion, contentMd5Endpoints, retriedAtOnce, clientCapacity,
        DefaultCredentialsProvider.builder().build());
  }

  /**
   * @param operatorIdentity the operator's own AWS credentials (the default chain in the
   *     operator): they sign for operatorIdentity observers and ask STS for role sessions
   */
  public AwsBucketStore(String defaultRegion, Set<String> contentMd5Endpoints, Predicate<S3ErrorKind> retriedAtOnce,
      int clientCapacity, AwsCredentialsProvider operatorIdentity) {
    this.identities = new Identities(operatorIdentity, defaultRegion);
    this.clients = new S3ClientCache(defaultRegion, contentMd5Endpoints, clientCapacity, identities);
    this.retries = new Retries(retriedAtOnce);
    this.versionCalls = new AwsVersionCalls(clients, retries);
    this.defaultRegion = defaultRegion;
  }

  @Override
  public Observation observe(BucketAddress bucket) throws BucketStoreException {
    GetBucketVersioningResponse response = retries.run("GetBucketVersioning", bucket,
        () -> clients.call(bucket, client -> client.getBucketVersioning(r -> r.bucket(bucket.bucket())
            .expectedBucketOwner(bucket.expectedBucketOwner()).applyMutation(r2 -> signedBy(r2, bucket)))));
    return new Observation(toBucketState(response), serverTime(response));
  }

  private static Instant serverTime(GetBucketVersioningResponse response) {
    return response.sdkHttpResponse().firstMatchingHeader("Date").map(date -> {
      try {
        return ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      } catch (DateTimeParseException e) {
        return null;
      }
    }).orElse(null);
  }

  static BucketState toBucketState(GetBucketVersioningResponse response) throws BucketStoreException {
    BucketVersioningStatus status = response.status();
    VersioningStatus versioning;
    if (status == null) {
      versioning = VersioningStatus.UNVERSIONED;
    } else if (status == BucketVersioningStatus.ENABLED) {
      versioning = VersioningStatus.ENABLED;
    } else if (status == BucketVersioningStatus.SUSPENDED) {
      versioning = VersioningStatus.SUSPENDED;
    } else {
      throw new BucketStoreException(S3ErrorKind.S3_SERVER_ERROR, "UnknownVersioningStatus", 200,
          "The server reported an unknown versioning status '" + response.statusAsString() + "'");
    }
    // AWS leaves MfaDelete out until it has been configured once: absent means Disabled.
    boolean mfaDelete = response.mfaDelete() == MFADeleteStatus.ENABLED;
    return new BucketState(versioning, mfaDelete);
  }

  /**
   * Every page, within {@link ListingBudget}'s bounds: past them the listing fails whole
   * (LISTING_TOO_LARGE), never cut short, since a short listing would look like buckets gone.
   */
  @Override
  public Listing listBuckets(BucketAddress account) throws BucketStoreException {
    List<ListedBucket> buckets = new ArrayList<>();
    ListingBudget budget = new ListingBudget(listingLimits);
    String token = null;
    int pages = 0;
    try {
      do {
        budget.check(buckets.size(), pages);
        String continuation = token;
        ListBucketsResponse page = retries.run("ListBuckets", account, () -> {
          try {
            return clients.call(account, client -> client.listBuckets(r -> r.maxBuckets(LIST_PAGE)
                .continuationToken(continuation).overrideConfiguration(o -> {
                  o.putExecutionAttribute(ListingBudget.ATTRIBUTE, budget);
                  Identities.perRequest(account.signer()).ifPresent(o::credentialsProvider);
                })));
          } catch (SdkException e) {
            if (budget.exceeded() != null) {
              throw budget.spent(budget.exceeded());
            }
            throw e;
          }
        });
        pages++;
        if (buckets.size() + page.buckets().size() > listingLimits.buckets()) {
          budget.check(buckets.size() + page.buckets().size(), pages);
        }
        page.buckets().forEach(b -> buckets.add(new ListedBucket(b.name(), b.bucketRegion())));
        token = page.continuationToken();
      } while (token != null && !token.isEmpty());
    } catch (ListingBudget.Exceeded e) {
      throw new BucketStoreException(S3ErrorKind.LISTING_TOO_LARGE, "ListingTooLarge", 0,
          "the listing was ended: " + e.getMessage());
    }
    return new Listing(buckets, pages);
  }

  @Override
  public boolean hasLifecycleRules(BucketAddress bucket) throws BucketStoreException {
    try {
      return retries.run("GetBucketLifecycleConfiguration", bucket,
          () -> clients.call(bucket, client -> client
              .getBucketLifecycleConfiguration(r -> r.bucket(bucket.bucket())
                  .expectedBucketOwner(bucket.expectedBucketOwner()).applyMutation(r2 -> signedBy(r2, bucket)))
              .hasRules()));
    } catch (BucketStoreException e) {
      if ("NoSuchLifecycleConfiguration".equals(e.errorCode())) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public WriteReceipt putVersioning(BucketAddress bucket, BucketState target, Optional<MfaToken> mfa)
      throws BucketStoreException {
    if (target.versioning() == VersioningStatus.UNVERSIONED) {
      throw new IllegalArgumentException("a bucket can be Enabled or Suspended, never made unversioned");
    }
    PutBucketVersioningRequest.Builder request = PutBucketVersioningRequest.builder()
        .bucket(bucket.bucket())
        .expectedBucketOwner(bucket.expectedBucketOwner())
        .applyMutation(r -> signedBy(r, bucket))
        .versioningConfiguration(VersioningConfiguration.builder()
            .status(target.versioning() == VersioningStatus.ENABLED
                ? BucketVersioningStatus.ENABLED : BucketVersioningStatus.SUSPENDED)
            .mfaDelete(target.mfaDeleteEnabled() ? MFADelete.ENABLED : MFADelete.DISABLED)
            .build());
    mfa.ifPresent(token -> request.mfa(token.headerValue()));
    ClientPool.ClientCall<S3Client, PutBucketVersioningResponse, RuntimeException> put =
        client -> client.putBucketVersioning(request.build());
    PutBucketVersioningResponse response;
    if (mfa.isPresent()) {
      try {
        response = clients.call(bucket, put);
      } catch (SdkException e) {
        throw S3ErrorMapper.map(e, true);
      }
    } else {
      response = retries.run("PutBucketVersioning", bucket, () -> clients.call(bucket, put));
    }
    return new WriteReceipt(known(response.responseMetadata().requestId()),
        known(response.responseMetadata().extendedRequestId()));
  }

  @Override
  public DeleteReceipt deleteVersions(BucketAddress bucket, List<ObjectVersion> versions, Optional<MfaToken> mfa)
      throws BucketStoreException {
    return versionCalls.deleteVersions(bucket, versions, mfa);
  }

  @Override
  public ObjectStamp stat(BucketAddress bucket, String key) throws BucketStoreException {
    return versionCalls.stat(bucket, key);
  }

  @Override
  public InputStream open(BucketAddress bucket, String key, ObjectStamp stamp) throws BucketStoreException {
    return versionCalls.open(bucket, key, stamp);
  }

  @Override
  public InputStream open(BucketAddress bucket, String key, ObjectStamp stamp, long fromByte)
      throws BucketStoreException {
    return versionCalls.open(bucket, key, stamp, fromByte);
  }

  @Override
  public Presence headVersion(BucketAddress bucket, ObjectVersion version) throws BucketStoreException {
    return versionCalls.headVersion(bucket, version);
  }

  /**
   * Root keys ride on the request itself (the client holds none), so nothing keeps them once the
   * call returns; other signers are the client's own.
   */
  static void signedBy(AwsRequest.Builder request, BucketAddress address) {
    // Only root requests carry an override: an empty one would still cost every request a merge of
    // the client's configuration.
    Identities.perRequest(address.signer()).ifPresent(keys -> request.overrideConfiguration(o -> o
        .credentialsProvider(keys)));
  }

  @Override
  public void checkObserver(Signer observer) throws BucketStoreException {
    if (observer instanceof Signer.AssumedRole role) {
      try {
        identities.session(role);
      } catch (RoleSessionException e) {
        throw e.mapped();
      }
    }
  }

  @Override
  public Optional<String> callerArn(BucketAddress address) throws BucketStoreException {
    return CallerIdentity.arn(address, defaultRegion, identities);
  }

  /** The SDK reports a header the server did not send as "UNKNOWN" (RadosGW sends no x-amz-id-2). */
  static String known(String id) {
    return id == null || "UNKNOWN".equals(id) ? null : ServerText.clean(id);
  }

  /** Smaller listing bounds, for tests that watch each bound at work. */
  void listingLimits(ListingBudget.Limits limits) {
    this.listingLimits = limits;
  }

  @Override
  public void close() {
    clients.close();
  }

  /** Visible for the efficiency tests: how many S3 clients are kept now. */
  public int clientCount() {
    return clients.size();
  }

  /** How many S3 clients made way for newer (endpoint, region, credentials) combinations. */
  public long evictedClients() {
    return clients.evicted();
  }
}
