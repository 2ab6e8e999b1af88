package io.bucketprotection.operator.testsupport;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.testsupport.FakeStsServer.Request;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * The STS double must answer the real SDK as STS does: the SDK parses its successes (credentials,
 * expiration, assumed-role user, caller identity) and maps its errors to {@link StsException} with
 * STS's codes and statuses, and the SDK's assume-role credentials provider renews sessions from it.
 */
class FakeStsServerTest {

  private static final String ACCOUNT = "123456789012";
  private static final String OPERATOR_KEY = "AKIAOPERATOR00000001";
  private static final String OPERATOR_ARN = "arn:aws:iam::" + ACCOUNT + ":user/bucket-operator";
  private static final String OTHER_KEY = "AKIAOTHER00000000002";
  private static final String OTHER_ARN = "arn:aws:iam::210987654321:user/someone-else";
  private static final String ROLE = "arn:aws:iam::" + ACCOUNT + ":role/observers/versioning-reader";

  private FakeStsServer sts;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    sts = new FakeStsServer()
        .identity(OPERATOR_KEY, OPERATOR_ARN)
        .identity(OTHER_KEY, OTHER_ARN);
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
    sts.close();
  }

  private StsClient client(AwsCredentialsProvider credentials) {
    StsClient client = StsClient.builder()
        .endpointOverride(sts.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(credentials)
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        // one attempt per call: the request counts below are the SDK's calls, not its retries
        .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1)))
        .build();
    toClose.add(client);
    return client;
  }

  private StsClient client(String accessKeyId) {
    return client(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, "not-checked-secret")));
  }

  @Test
  void getCallerIdentityAnswersTheArnAndAccountConfiguredForTheSigningKey() {
    GetCallerIdentityResponse me = client(OPERATOR_KEY).getCallerIdentity();
    assertEquals(OPERATOR_ARN, me.arn());
    assertEquals(ACCOUNT, me.account());
    assertTrue(me.userId().startsWith("AIDA"), me.userId());
    assertNotEquals(null, me.responseMetadata().requestId());

    GetCallerIdentityResponse other = client(OTHER_KEY).getCallerIdentity();
    assertEquals("210987654321", other.account());

    assertEquals(List.of(new Request("GetCallerIdentity", OPERATOR_KEY, null, null, false),
        new Request("GetCallerIdentity", OTHER_KEY, null, null, false)), sts.requests());
    assertEquals(2, sts.count(FakeStsServer.GET_CALLER_IDENTITY));
  }

  @Test
  void anUnknownKeyIsAnInvalidClientTokenId() {
    StsException e = assertThrows(StsException.class, () -> client("AKIANOBODY0000000003").getCallerIdentity());
    assertEquals(403, e.statusCode());
    assertEquals("InvalidClientTokenId", e.awsErrorDetails().errorCode());
    assertEquals("The security token included in the request is invalid.", e.awsErrorDetails().errorMessage());
    assertNotEquals(null, e.requestId());
    assertEquals(1, sts.count(FakeStsServer.GET_CALLER_IDENTITY));
  }

  @Test
  void assumeRoleIssuesASessionWhoseKeyIsTheAssumedRole() {
    sts.allowAssume(OPERATOR_KEY, ROLE, "tenant-a");
    Instant before = Instant.now();
    AssumeRoleResponse r = client(OPERATOR_KEY).assumeRole(b -> b.roleArn(ROLE).roleSessionName("observer-1")
        .externalId("tenant-a").durationSeconds(900));

    String assumed = "arn:aws:sts::" + ACCOUNT + ":assumed-role/versioning-reader/observer-1";
    assertEquals(assumed, r.assumedRoleUser().arn());
    assertTrue(r.assumedRoleUser().assumedRoleId().endsWith(":observer-1"));
    assertTrue(r.credentials().accessKeyId().startsWith("ASIA"));
    assertFalse(r.credentials().secretAccessKey().isEmpty());
    assertFalse(r.credentials().sessionToken().isEmpty());
    Instant expiration = r.credentials().expiration();
    assertTrue(!expiration.isBefore(before.plusSeconds(899)) && !expiration.isAfter(Instant.now().plusSeconds(901)),
        expiration.toString());

    // The session's own key (with its token) identifies as the assumed role.
    StsClient asRole = client(StaticCredentialsProvider.create(AwsSessionCredentials.create(
        r.credentials().accessKeyId(), r.credentials().secretAccessKey(), r.credentials().sessionToken())));
    GetCallerIdentityResponse me = asRole.getCallerIdentity();
    assertEquals(assumed, me.arn());
    assertEquals(ACCOUNT, me.account());
    assertTrue(me.userId().startsWith("AROA") && me.userId().endsWith(":observer-1"), me.userId());

    // ...and only with its token.
    StsException wrongToken = assertThrows(StsException.class, () -> client(StaticCredentialsProvider.create(
        AwsSessionCredentials.create(r.credentials().accessKeyId(), "x", "not-the-token"))).getCallerIdentity());
    assertEquals("InvalidClientTokenId", wrongToken.awsErrorDetails().errorCode());

    assertEquals(new Request("AssumeRole", OPERATOR_KEY, ROLE, "observer-1", true), sts.requests().get(0));
    assertEquals(new Request("GetCallerIdentity", r.credentials().accessKeyId(), null, null, false),
        sts.requests().get(1));
    assertEquals(1, sts.sessions().size());
    assertEquals(r.credentials().accessKeyId(), sts.sessions().get(0).accessKeyId());
    assertFalse(sts.sessions().toString().contains(r.credentials().secretAccessKey()));
    assertFalse(sts.sessions().toString().contains(r.credentials().sessionToken()));
  }

  @Test
  void assumeRoleIsDeniedForAnotherCallerRoleOrExternalId() {
    sts.allowAssume(OPERATOR_KEY, ROLE, "tenant-a");
    StsClient operator = client(OPERATOR_KEY);

    StsException noExternalId = assertThrows(StsException.class,
        () -> operator.assumeRole(b -> b.roleArn(ROLE).roleSessionName("s1")));
    assertEquals(403, noExternalId.statusCode());
    assertEquals("AccessDenied", noExternalId.awsErrorDetails().errorCode());
    assertEquals("User: " + OPERATOR_ARN + " is not authorized to perform: sts:AssumeRole on resource: " + ROLE,
        noExternalId.awsErrorDetails().errorMessage());

    StsException wrongExternalId = assertThrows(StsException.class,
        () -> operator.assumeRole(b -> b.roleArn(ROLE).roleSessionName("s2").externalId("tenant-b")));
    assertEquals("AccessDenied", wrongExternalId.awsErrorDetails().errorCode());

    StsException otherRole = assertThrows(StsException.class, () -> operator.assumeRole(
        b -> b.roleArn("arn:aws:iam::" + ACCOUNT + ":role/admin").roleSessionName("s3").externalId("tenant-a")));
    assertEquals("AccessDenied", otherRole.awsErrorDetails().errorCode());

    StsException otherCaller = assertThrows(StsException.class, () -> client(OTHER_KEY).assumeRole(
        b -> b.roleArn(ROLE).roleSessionName("s4").externalId("tenant-a")));
    assertEquals("AccessDenied", otherCaller.awsErrorDetails().errorCode());

    StsException shortSession = assertThrows(StsException.class, () -> operator.assumeRole(
        b -> b.roleArn(ROLE).roleSessionName("s5").externalId("tenant-a").durationSeconds(60)));
    assertEquals(400, shortSession.statusCode());
    assertEquals("ValidationError", shortSession.awsErrorDetails().errorCode());

    assertEquals(5, sts.count(FakeStsServer.ASSUME_ROLE));
    assertEquals(List.of(false, true, true, true, true),
        sts.requests().stream().map(Request::externalIdPresent).toList());
    assertTrue(sts.sessions().isEmpty());

    // Without an external-id condition, a grant takes any or none.
    sts.allowAssume(OTHER_KEY, ROLE, null);
    assertEquals("arn:aws:sts::" + ACCOUNT + ":assumed-role/versioning-reader/s6",
        client(OTHER_KEY).assumeRole(b -> b.roleArn(ROLE).roleSessionName("s6")).assumedRoleUser().arn());
  }

  @Test
  void withoutGetCallerIdentityTheActionIsUnknownAsOnRadosGw16() {
    sts.withoutGetCallerIdentity().allowAssume(OPERATOR_KEY, ROLE, null);
    StsClient operator = client(OPERATOR_KEY);
    StsException e = assertThrows(StsException.class, operator::getCallerIdentity);
    assertEquals(400, e.statusCode());
    assertEquals("InvalidAction", e.awsErrorDetails().errorCode());
    // AssumeRole still works there.
    StsException oneLetter = assertThrows(StsException.class,
        () -> operator.assumeRole(b -> b.roleArn(ROLE).roleSessionName("s")));
    assertEquals("ValidationError", oneLetter.awsErrorDetails().errorCode());
    operator.assumeRole(b -> b.roleArn(ROLE).roleSessionName("s1"));
    assertEquals(1, sts.count(FakeStsServer.GET_CALLER_IDENTITY));
    assertEquals(2, sts.count(FakeStsServer.ASSUME_ROLE));
    assertEquals(1, sts.sessions().size());
  }

  @Test
  void anExpiredSessionKeyIsRefused() {
    sts.sessionSeconds(1).allowAssume(OPERATOR_KEY, ROLE, null);
    AssumeRoleResponse r = client(OPERATOR_KEY).assumeRole(b -> b.roleArn(ROLE).roleSessionName("brief"));
    StsClient asRole = client(StaticCredentialsProvider.create(AwsSessionCredentials.create(
        r.credentials().accessKeyId(), r.credentials().secretAccessKey(), r.credentials().sessionToken())));
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() -> {
      try {
        asRole.getCallerIdentity();
        return false;
      } catch (StsException e) {
        return "ExpiredToken".equals(e.awsErrorDetails().errorCode()) && e.statusCode() == 403;
      }
    });
  }

  @Test
  void theSdksAssumeRoleProviderKeepsALongSession() {
    sts.allowAssume(OPERATOR_KEY, ROLE, null);
    StsAssumeRoleCredentialsProvider provider = StsAssumeRoleCredentialsProvider.builder()
        .stsClient(client(OPERATOR_KEY))
        .refreshRequest(b -> b.roleArn(ROLE).roleSessionName("observer"))
        .build();
    toClose.add(provider);
    String first = provider.resolveCredentials().accessKeyId();
    for (int i = 0; i < 20; i++) {
      assertEquals(first, provider.resolveCredentials().accessKeyId());
    }
    assertEquals(1, sts.count(FakeStsServer.ASSUME_ROLE), "an hour's session is not renewed within the test");
  }

  @Test
  void theSdksAssumeRoleProviderRenewsShortSessionsBeforeTheyExpire() {
    // Sessions of 2 s (STS rounds expirations up to whole seconds): the provider prefetches a new one
    // 1 s before expiry and must not hand out one within 0.5 s of it.
    sts.sessionSeconds(2).allowAssume(OPERATOR_KEY, ROLE, "tenant-a");
    StsAssumeRoleCredentialsProvider provider = StsAssumeRoleCredentialsProvider.builder()
        .stsClient(client(OPERATOR_KEY))
        .refreshRequest(b -> b.roleArn(ROLE).roleSessionName("observer").externalId("tenant-a"))
        .staleTime(Duration.ofMillis(500))
        .prefetchTime(Duration.ofSeconds(1))
        .build();
    toClose.add(provider);

    AwsCredentials first = provider.resolveCredentials();
    assertTrue(first.accessKeyId().startsWith("ASIA"));
    assertEquals(1, sts.count(FakeStsServer.ASSUME_ROLE));
    // Within the session, before its prefetch time: served from the cache.
    assertEquals(first.accessKeyId(), provider.resolveCredentials().accessKeyId());

    // A client signing with the provider: every session it is handed is still good at the fake (which
    // refuses expired ones), so renewal happened before expiry. An exception ends the wait at once.
    StsClient asRole = client(provider);
    String assumed = "arn:aws:sts::" + ACCOUNT + ":assumed-role/versioning-reader/observer";
    Set<String> keys = new HashSet<>();
    await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() -> {
      keys.add(provider.resolveCredentials().accessKeyId());
      assertEquals(assumed, asRole.getCallerIdentity().arn());
      return sts.count(FakeStsServer.ASSUME_ROLE) >= 3;
    });
    assertTrue(keys.size() >= 2, "the provider hands out the renewed sessions: " + keys);
    for (Request r : sts.requests()) {
      if (r.action().equals(FakeStsServer.ASSUME_ROLE)) {
        assertEquals(new Request("AssumeRole", OPERATOR_KEY, ROLE, "observer", true), r);
      } else {
        assertTrue(keys.contains(r.accessKeyId()), r.toString());
      }
    }
  }
}
