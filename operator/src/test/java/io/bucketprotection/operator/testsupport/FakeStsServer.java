package io.bucketprotection.operator.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local HTTP server speaking the AWS STS Query protocol (POST / with a form body
 * {@code Action=...&Version=2011-06-15}; XML answers in the {@value #NAMESPACE} namespace, shaped as
 * real STS shapes them) for GetCallerIdentity and AssumeRole. Why: the operator proves identities
 * with GetCallerIdentity and reads through AssumeRole sessions; tests must run the real SDK
 * {@code StsClient} and {@code StsAssumeRoleCredentialsProvider} against something that answers and
 * fails as STS does, and count what they asked.
 *
 * <p>The caller is identified by the access key id in the SigV4 credential scope (the
 * {@code Authorization} header's {@code Credential=AKID/date/region/sts/aws4_request}, or a presigned
 * {@code X-Amz-Credential}); signatures are not verified. A session key this server issued is only
 * accepted with its own {@code X-Amz-Security-Token} and before its expiration.
 *
 * <p>Thread-safe: configuration may change while the SDK is calling. Secrets (issued secret keys and
 * session tokens) stay inside; neither {@link Request} nor {@link Session} carries them.
 */
public final class FakeStsServer implements AutoCloseable {

  public static final String NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";
  public static final String VERSION = "2011-06-15";
  public static final String GET_CALLER_IDENTITY = "GetCallerIdentity";
  public static final String ASSUME_ROLE = "AssumeRole";

  /**
   * One request as received, in arrival order. {@code accessKeyId} is null for an unsigned request;
   * {@code roleArn} and {@code roleSessionName} are null when not sent; only the presence of an
   * ExternalId is kept (it is a shared secret of sorts in a trust policy).
   */
  public record Request(String action, String accessKeyId, String roleArn, String roleSessionName,
      boolean externalIdPresent) {
  }

  /** A session this server issued: its key id (not its secret or token), for whom and until when. */
  public record Session(String accessKeyId, String callerAccessKeyId, String roleArn, String roleSessionName,
      String assumedRoleArn, Instant expiration) {
  }

  /** Who may assume what; an absent external id means the trust policy has no sts:ExternalId condition. */
  private record Grant(String callerAccessKeyId, String roleArn) {
  }

  /** An issued session with the values a later request must present. Never printed. */
  private record Issued(Session session, String sessionToken) {
    @Override
    public String toString() {
      return session.toString();
    }
  }

  private static final Pattern CREDENTIAL = Pattern.compile("Credential=([^/,\\s]+)/");
  private static final Pattern ACCOUNT = Pattern.compile("^arn:[^:]+:[^:]*:[^:]*:(\\d{12}):");
  private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]*");
  private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_INSTANT;

  private final HttpServer server;
  private final Clock clock;
  private final Map<String, String> identities = new ConcurrentHashMap<>();
  private final Map<Grant, Optional<String>> grants = new ConcurrentHashMap<>();
  private final Map<String, Issued> issued = new ConcurrentHashMap<>();
  private final List<Session> sessions = new CopyOnWriteArrayList<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final AtomicLong counter = new AtomicLong();
  private volatile Integer sessionSeconds;
  private volatile boolean getCallerIdentity = true;

  public FakeStsServer() throws IOException {
    this(Clock.systemUTC());
  }

  /**
   * With a test clock for expirations. Note that the SDK's credentials providers judge expirations
   * by the system clock, so renewal tests want the default.
   */
  public FakeStsServer(Clock clock) throws IOException {
    this.clock = clock;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  /** For {@code StsClient.builder().endpointOverride(...)}. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /**
   * A long-term key: GetCallerIdentity signed with it answers {@code arn}; its account is the ARN's
   * 12-digit account field.
   */
  public FakeStsServer identity(String accessKeyId, String arn) {
    accountOf(arn); // fail early on an ARN without an account
    identities.put(accessKeyId, arn);
    return this;
  }

  /**
   * Lets the holder of {@code callerAccessKeyId} (configured with {@link #identity}) assume
   * {@code roleArn}. With an external id, AssumeRole must carry exactly that ExternalId (a trust
   * policy's sts:ExternalId condition); with null, any or none is accepted, as STS does without that
   * condition.
   */
  public FakeStsServer allowAssume(String callerAccessKeyId, String roleArn, String externalIdOrNull) {
    accountOf(roleArn);
    grants.put(new Grant(callerAccessKeyId, roleArn), Optional.ofNullable(externalIdOrNull));
    return this;
  }

  /** Withdraws a grant: later AssumeRole calls for it are denied (sessions already issued stay valid). */
  public FakeStsServer denyAssume(String callerAccessKeyId, String roleArn) {
    grants.remove(new Grant(callerAccessKeyId, roleArn));
    return this;
  }

  /**
   * Issues sessions that last this many seconds whatever DurationSeconds asked (and without STS's
   * 900-second minimum), so a test can watch a credentials provider renew them.
   */
  public FakeStsServer sessionSeconds(int seconds) {
    if (seconds < 1) {
      throw new IllegalArgumentException("a session lasts at least one second");
    }
    this.sessionSeconds = seconds;
    return this;
  }

  /**
   * Answers GetCallerIdentity as an endpoint without it: models RadosGW 16, whose STS has AssumeRole
   * (and GetSessionToken, AssumeRoleWithWebIdentity) but no GetCallerIdentity. RGW answers an action
   * it does not know with a 400- or 405-class error depending on the path it falls through; this
   * double answers 400 {@code InvalidAction}, as AWS STS does for an unknown action, so the SDK
   * raises an {@code StsException} with that code and status 400.
   */
  public FakeStsServer withoutGetCallerIdentity() {
    this.getCallerIdentity = false;
    return this;
  }

  /** Every request so far, in arrival order (an immutable snapshot). */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** Requests so far with this Action ({@link #ASSUME_ROLE}, {@link #GET_CALLER_IDENTITY}, ...), answered or not. */
  public long count(String action) {
    return requests.stream().filter(r -> action.equals(r.action())).count();
  }

  /** Sessions issued so far, in order (an immutable snapshot, without their secrets). */
  public List<Session> sessions() {
    return List.copyOf(sessions);
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      Map<String, String> form = new HashMap<>();
      String query = exchange.getRequestURI().getRawQuery();
      if (query != null) {
        form.putAll(parseForm(query));
      }
      String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
      byte[] raw = exchange.getRequestBody().readAllBytes();
      if ("POST".equals(exchange.getRequestMethod()) && contentType != null
          && contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
        form.putAll(parseForm(new String(raw, StandardCharsets.UTF_8)));
      }
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      String accessKeyId = accessKeyId(authorization, form.get("X-Amz-Credential"));
      String action = form.get("Action");
      requests.add(new Request(action, accessKeyId, form.get("RoleArn"), form.get("RoleSessionName"),
          form.containsKey("ExternalId")));
      String securityToken = Optional.ofNullable(exchange.getRequestHeaders().getFirst("X-Amz-Security-Token"))
          .orElse(form.get("X-Amz-Security-Token"));
      answer(exchange, action, accessKeyId, securityToken, form);
    } finally {
      exchange.close();
    }
  }

  private void answer(HttpExchange exchange, String action, String accessKeyId, String securityToken,
      Map<String, String> form) throws IOException {
    boolean known = GET_CALLER_IDENTITY.equals(action) && getCallerIdentity || ASSUME_ROLE.equals(action);
    if (!known) {
      error(exchange, 400, "InvalidAction",
          "Could not find operation " + action + " for version " + form.getOrDefault("Version", VERSION));
      return;
    }
    if (accessKeyId == null) {
      error(exchange, 403, "MissingAuthenticationToken", "Request is missing Authentication Token");
      return;
    }
    String callerArn = callerArn(exchange, accessKeyId, securityToken);
    if (callerArn == null) {
      return; // answered
    }
    if (GET_CALLER_IDENTITY.equals(action)) {
      getCallerIdentity(exchange, accessKeyId, callerArn);
    } else {
      assumeRole(exchange, accessKeyId, callerArn, form);
    }
  }

  /** The caller's ARN, or null after answering 403 as STS does for an unknown, mismatched or expired key. */
  private String callerArn(HttpExchange exchange, String accessKeyId, String securityToken) throws IOException {
    String arn = identities.get(accessKeyId);
    if (arn != null) {
      return arn;
    }
    Issued session = issued.get(accessKeyId);
    if (session == null || !session.sessionToken().equals(securityToken)) {
      error(exchange, 403, "InvalidClientTokenId", "The security token included in the request is invalid.");
      return null;
    }
    if (!clock.instant().isBefore(session.session().expiration())) {
      error(exchange, 403, "ExpiredToken", "The security token included in the request is expired");
      return null;
    }
    return session.session().assumedRoleArn();
  }

  private void getCallerIdentity(HttpExchange exchange, String accessKeyId, String arn) throws IOException {
    Issued session = issued.get(accessKeyId);
    String userId = session != null
        ? roleId(session.session().roleArn()) + ":" + session.session().roleSessionName()
        : "AIDA" + uniqueSuffix(arn);
    respond(exchange, GET_CALLER_IDENTITY, ""
        + "    <Arn>" + xml(arn) + "</Arn>\n"
        + "    <UserId>" + xml(userId) + "</UserId>\n"
        + "    <Account>" + accountOf(arn) + "</Account>\n");
  }

  private void assumeRole(HttpExchange exchange, String accessKeyId, String callerArn, Map<String, String> form)
      throws IOException {
    String roleArn = form.get("RoleArn");
    String sessionName = form.get("RoleSessionName");
    if (roleArn == null || roleArn.length() < 20) {
      validation(exchange, "roleArn", roleArn, "Member must have length greater than or equal to 20");
      return;
    }
    if (sessionName == null) {
      validation(exchange, "roleSessionName", null, "Member must not be null");
      return;
    }
    if (sessionName.length() < 2 || sessionName.length() > 64) {
      validation(exchange, "roleSessionName", sessionName, "Member must have length "
          + (sessionName.length() < 2 ? "greater than or equal to 2" : "less than or equal to 64"));
      return;
    }
    if (!SESSION_NAME.matcher(sessionName).matches()) {
      validation(exchange, "roleSessionName", sessionName,
          "Member must satisfy regular expression pattern: [\\w+=,.@-]*");
      return;
    }
    int duration;
    try {
      duration = Integer.parseInt(form.getOrDefault("DurationSeconds", "3600"));
    } catch (NumberFormatException e) {
      validation(exchange, "durationSeconds", form.get("DurationSeconds"), "Member must be a number");
      return;
    }
    if (duration < 900 || duration > 43_200) {
      validation(exchange, "durationSeconds", Integer.toString(duration),
          "Member must have value " + (duration < 900 ? "greater than or equal to 900" : "less than or equal to 43200"));
      return;
    }
    Optional<String> required = grants.get(new Grant(accessKeyId, roleArn));
    String externalId = form.get("ExternalId");
    if (required == null || required.isPresent() && !required.get().equals(externalId)) {
      error(exchange, 403, "AccessDenied", "User: " + callerArn
          + " is not authorized to perform: sts:AssumeRole on resource: " + roleArn);
      return;
    }
    Integer fixed = sessionSeconds;
    // STS states expirations in whole seconds; rounding up keeps a session at least as long as asked.
    Instant expiration = clock.instant().plusSeconds(fixed != null ? fixed : duration)
        .plus(999_999_999, ChronoUnit.NANOS).truncatedTo(ChronoUnit.SECONDS);
    long n = counter.incrementAndGet();
    String sessionKey = String.format(Locale.ROOT, "ASIA%016d", n);
    String secret = UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
    String token = "FwoGZXIvYXdzE" + UUID.randomUUID().toString().replace("-", "") + n;
    String roleName = roleArn.substring(roleArn.lastIndexOf('/') + 1);
    String assumedArn = "arn:aws:sts::" + accountOf(roleArn) + ":assumed-role/" + roleName + "/" + sessionName;
    Session session = new Session(sessionKey, accessKeyId, roleArn, sessionName, assumedArn, expiration);
    issued.put(sessionKey, new Issued(session, token));
    sessions.add(session);
    respond(exchange, ASSUME_ROLE, ""
        + "    <AssumedRoleUser>\n"
        + "      <AssumedRoleId>" + xml(roleId(roleArn) + ":" + sessionName) + "</AssumedRoleId>\n"
        + "      <Arn>" + xml(assumedArn) + "</Arn>\n"
        + "    </AssumedRoleUser>\n"
        + "    <Credentials>\n"
        + "      <AccessKeyId>" + sessionKey + "</AccessKeyId>\n"
        + "      <SecretAccessKey>" + secret + "</SecretAccessKey>\n"
        + "      <SessionToken>" + token + "</SessionToken>\n"
        + "      <Expiration>" + ISO.format(expiration) + "</Expiration>\n"
        + "    </Credentials>\n");
  }

  /** STS's answer to a parameter outside its constraints: 400 ValidationError. */
  private void validation(HttpExchange exchange, String member, String value, String constraint) throws IOException {
    error(exchange, 400, "ValidationError", "1 validation error detected: Value "
        + (value == null ? "null" : "'" + value + "'") + " at '" + member + "' failed to satisfy constraint: "
        + constraint);
  }

  /** A success: {@code <ActionResponse><ActionResult>...</ActionResult><ResponseMetadata>}, Result first. */
  private static void respond(HttpExchange exchange, String action, String result) throws IOException {
    String requestId = UUID.randomUUID().toString();
    send(exchange, 200, requestId, "<" + action + "Response xmlns=\"" + NAMESPACE + "\">\n"
        + "  <" + action + "Result>\n" + result + "  </" + action + "Result>\n"
        + "  <ResponseMetadata>\n    <RequestId>" + requestId + "</RequestId>\n  </ResponseMetadata>\n"
        + "</" + action + "Response>\n");
  }

  private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
    String requestId = UUID.randomUUID().toString();
    send(exchange, status, requestId, "<ErrorResponse xmlns=\"" + NAMESPACE + "\">\n"
        + "  <Error>\n    <Type>Sender</Type>\n    <Code>" + code + "</Code>\n"
        + "    <Message>" + xml(message) + "</Message>\n  </Error>\n"
        + "  <RequestId>" + requestId + "</RequestId>\n"
        + "</ErrorResponse>\n");
  }

  private static void send(HttpExchange exchange, int status, String requestId, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "text/xml");
    exchange.getResponseHeaders().add("x-amzn-RequestId", requestId);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  /** The access key id of a SigV4 credential scope, from the Authorization header or a presigned query. */
  static String accessKeyId(String authorization, String presignedCredential) {
    if (authorization != null) {
      Matcher m = CREDENTIAL.matcher(authorization);
      if (m.find()) {
        return m.group(1);
      }
    }
    if (presignedCredential != null && presignedCredential.indexOf('/') > 0) {
      return presignedCredential.substring(0, presignedCredential.indexOf('/'));
    }
    return null;
  }

  /** The 12-digit account of an ARN ("arn:aws:iam::123456789012:user/x" -> "123456789012"). */
  static String accountOf(String arn) {
    Matcher m = ACCOUNT.matcher(arn);
    if (!m.find()) {
      throw new IllegalArgumentException("no 12-digit account in " + arn);
    }
    return m.group(1);
  }

  /** A stable role id for a role ARN, shaped like IAM's ("AROA" + 17 characters). */
  private static String roleId(String roleArn) {
    return "AROA" + uniqueSuffix(roleArn);
  }

  private static String uniqueSuffix(String arn) {
    String hex = UUID.nameUUIDFromBytes(arn.getBytes(StandardCharsets.UTF_8)).toString().replace("-", "");
    return hex.substring(0, 17).toUpperCase(Locale.ROOT);
  }

  private static Map<String, String> parseForm(String encoded) {
    Map<String, String> form = new HashMap<>();
    for (String pair : encoded.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      form.put(name, value);
    }
    return form;
  }

  private static String xml(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
