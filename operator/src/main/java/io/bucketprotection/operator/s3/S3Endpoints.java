package io.bucketprotection.operator.s3;

import java.net.URI;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one canonical form of an S3 endpoint, with two outputs.
 *
 * <ul>
 *   <li>{@link #identity}: which S3 service the endpoint reaches, for the MFA ledger (a device
 *       is an identity plus a serial) and for bucket ownership. Every AWS endpoint of a
 *       partition (none, {@code s3.amazonaws.com}, regional, dual-stack and FIPS forms, http or
 *       https) is one key, {@code aws}, {@code aws-cn} or {@code aws-us-gov}: the same device or
 *       bucket can never appear as two. Any other endpoint is its scheme, host and port.</li>
 *   <li>{@link #connectionKey}: the whole URL, for the S3 client cache, so that a FIPS or
 *       dual-stack endpoint is never served by a client built for another.</li>
 * </ul>
 */
public final class S3Endpoints {

  /** s3, s3-fips, s3-external-1, s3-REGION, s3.dualstack, s3-fips.dualstack ... under amazonaws.com(.cn). */
  private static final Pattern AWS_S3_HOST =
      Pattern.compile("s3(-[a-z0-9-]+)?(\\.[a-z0-9-]+)*\\.amazonaws\\.com(\\.cn)?");

  private S3Endpoints() {
  }

  /**
   * @param endpoint the endpoint requests go to, or null for AWS itself
   * @param defaultRegion the operator's default region: tells the partition when there is no endpoint
   */
  public static String identity(URI endpoint, String defaultRegion) {
    if (endpoint == null || endpoint.getHost() == null) {
      return partitionOfRegion(defaultRegion);
    }
    String host = host(endpoint);
    if (AWS_S3_HOST.matcher(host).matches()) {
      if (host.endsWith(".amazonaws.com.cn")) {
        return "aws-cn";
      }
      return host.contains("us-gov-") ? "aws-us-gov" : "aws";
    }
    return origin(endpoint);
  }

  /** AWS itself (aws, aws-cn or aws-us-gov), as opposed to an S3-compatible server. */
  public static boolean isAws(URI endpoint, String defaultRegion) {
    return identity(endpoint, defaultRegion).startsWith("aws");
  }

  /** The endpoint as a cache key for clients: the full URL, normalised; "aws-default" for none. */
  public static String connectionKey(URI endpoint) {
    if (endpoint == null) {
      return "aws-default";
    }
    String path = endpoint.getRawPath() == null ? "" : endpoint.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return origin(endpoint) + path;
  }

  /** scheme://host:port with the scheme's default port written out: how allow-lists compare endpoints. */
  public static String origin(URI endpoint) {
    String scheme = endpoint.getScheme() == null ? "https" : endpoint.getScheme().toLowerCase(Locale.ROOT);
    int port = endpoint.getPort() >= 0 ? endpoint.getPort() : "http".equals(scheme) ? 80 : 443;
    String host = host(endpoint);
    return scheme + "://" + (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
  }

  static String partitionOfRegion(String region) {
    String r = region == null ? "" : region.toLowerCase(Locale.ROOT);
    if (r.startsWith("cn-")) {
      return "aws-cn";
    }
    return r.startsWith("us-gov-") ? "aws-us-gov" : "aws";
  }

  private static String host(URI endpoint) {
    String host = endpoint.getHost().toLowerCase(Locale.ROOT);
    return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
  }
}
