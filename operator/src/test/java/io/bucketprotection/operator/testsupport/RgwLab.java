package io.bucketprotection.operator.testsupport;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real Ceph RadosGW (which enforces MFA Delete) started through {@code hack/rgw-lab.sh}.
 * Starting fails loudly: a test that needs RGW must fail, never skip, when RGW is missing.
 */
public final class RgwLab implements AutoCloseable {

  private static RgwLab shared;

  private final Path script;
  private final Path dir;
  private final URI endpoint;

  private RgwLab(Path script, Path dir, URI endpoint) {
    this.script = script;
    this.dir = dir;
    this.endpoint = endpoint;
  }

  /**
   * The lab shared by every test of this JVM, started on first use and stopped at exit. Ports
   * come from LAB_RGW_PORT / LAB_MON_PORT / LAB_OSD_PORT_MIN ({@link LabPort}; defaults 17480,
   * 13300, 16800), away from the demo's, so a running demo does not break the tests.
   */
  public static synchronized RgwLab shared() {
    if (shared == null) {
      Path dir = Path.of(System.getProperty("user.dir")).resolve("target").resolve("rgw-lab").toAbsolutePath();
      shared = start(dir, LabPort.RGW.get(), LabPort.MON.get(), LabPort.OSD_MIN.get());
      RgwLab lab = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(lab::close, "rgw-lab-stop"));
    }
    return shared;
  }

  public static RgwLab start(Path dir, int rgwPort, int monPort, int osdPortMin) {
    Path script = findScript();
    String out = run(script, List.of("start", "--dir", dir.toString(), "--rgw-port", String.valueOf(rgwPort),
        "--mon-port", String.valueOf(monPort), "--osd-port-min", String.valueOf(osdPortMin)), 180);
    String line = out.lines().filter(l -> l.startsWith("endpoint=")).findFirst()
        .orElseThrow(() -> new IllegalStateException("rgw-lab.sh start printed no endpoint: " + out));
    return new RgwLab(script, dir, URI.create(line.substring("endpoint=".length()).trim()));
  }

  public URI endpoint() {
    return endpoint;
  }

  public void createUser(String uid, String accessKey, String secretKey, int maxBuckets) {
    run(script, List.of("user", "--dir", dir.toString(), "--uid", uid, "--access-key", accessKey,
        "--secret-key", secretKey, "--max-buckets", String.valueOf(maxBuckets)), 60);
  }

  public void createMfaDevice(String uid, String serial, String base32Seed, int periodSeconds) {
    run(script, List.of("mfa", "--dir", dir.toString(), "--uid", uid, "--serial", serial, "--seed", base32Seed,
        "--seconds", String.valueOf(periodSeconds)), 60);
  }

  /**
   * A subuser {@code uid:subuser} with its own S3 key pair acting on {@code uid}'s buckets: the
   * closest RadosGW has to a second identity in the same account. {@code access} is RGW's
   * permission (read, write, readwrite, full); re-running updates it and the key.
   */
  public void createSubuser(String uid, String subuser, String access, String accessKey, String secretKey) {
    run(script, List.of("subuser", "--dir", dir.toString(), "--uid", uid, "--subuser", subuser, "--access", access,
        "--access-key", accessKey, "--secret-key", secretKey), 60);
  }

  /**
   * A role that {@code trustedUserUid} may assume (sts:AssumeRole at the S3 endpoint), with
   * {@code policyJson} as its permission policy, for tests of an operator that works through a
   * role session instead of the owner's keys. {@code owner} gets the caps roles=*. RGW 16.2 never
   * matches an sts:ExternalId condition, so with an external id the role cannot be assumed at
   * all (RgwIdentitiesTest records that). Re-running updates the trust and the policy.
   *
   * @return the role's ARN as RGW reports it
   */
  public String createRole(String owner, String role, String trustedUserUid, String policyJson,
      String externalIdOrNull) {
    Path policyFile;
    try {
      // Under the lab dir, not /tmp: it goes when the lab is wiped, and never outlives it.
      Path tmp = Files.createDirectories(dir.resolve("tmp"));
      policyFile = Files.createTempFile(tmp, "role-policy-", ".json");
      Files.writeString(policyFile, policyJson, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the policy of role " + role + " under " + dir, e);
    }
    List<String> args = new ArrayList<>(List.of("role", "--dir", dir.toString(), "--owner", owner, "--role", role,
        "--trust-user", trustedUserUid, "--policy-file", policyFile.toString()));
    if (externalIdOrNull != null) {
      args.add("--external-id");
      args.add(externalIdOrNull);
    }
    try {
      String out = run(script, args, 60);
      return out.lines().filter(l -> l.startsWith("arn=")).map(l -> l.substring("arn=".length()).trim())
          .findFirst().orElseThrow(() -> new IllegalStateException("rgw-lab.sh role printed no arn: " + out));
    } finally {
      try {
        Files.deleteIfExists(policyFile);
      } catch (IOException ignored) {
        // The lab dir is wiped at the next start anyway.
      }
    }
  }

  /** A client as a test (not the operator) uses it to set up and inspect buckets. */
  public S3Client client(String accessKey, String secretKey) {
    return S3Client.builder()
        .endpointOverride(endpoint)
        .forcePathStyle(true)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .build();
  }

  @Override
  public void close() {
    run(script, List.of("stop", "--dir", dir.toString()), 60);
  }

  static Path findScript() {
    for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("hack").resolve("rgw-lab.sh");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("hack/rgw-lab.sh not found above " + System.getProperty("user.dir"));
  }

  /** Runs the script; its stderr is passed through, and a failure throws with its exit code. */
  private static String run(Path script, List<String> args, int timeoutSeconds) {
    List<String> command = new ArrayList<>();
    command.add("bash");
    command.add(script.toString());
    command.addAll(args);
    try {
      Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      byte[] stdout = process.getInputStream().readAllBytes();
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("rgw-lab.sh " + args.get(0) + " did not finish in " + timeoutSeconds + " s");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException("rgw-lab.sh " + args.get(0) + " failed with exit code " + process.exitValue()
            + " (see its messages above). Is Ceph installed? Run hack/rgw-lab.sh install.");
      }
      return new String(stdout, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + script, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + script, e);
    }
  }
}
