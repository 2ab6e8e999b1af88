package io.bucketprotection.operator.check;

import io.bucketprotection.operator.s3.S3Endpoints;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where the check may send a request, signed with the environment's credentials: AWS's own S3
 * endpoints ({@link S3Endpoints#isAws}), and the endpoints of {@code --allowed-endpoints}. Nothing
 * else, whatever the input or the operator's settings name: BPO_ALLOWED_ENDPOINTS says which
 * endpoints tenants may name, AWS_ENDPOINT_URL_S3 where the operator goes by default, and neither
 * says where a CI job may send its keys. Endpoints compare as scheme://host:port.
 */
final class AllowedEndpoints {

  static final AllowedEndpoints AWS_ONLY = new AllowedEndpoints(Set.of());

  private final Set<String> origins;

  private AllowedEndpoints(Set<String> origins) {
    this.origins = Set.copyOf(origins);
  }

  /**
   * @param values each a comma-separated list of http(s)://host[:port]
   * @throws IllegalArgumentException naming the entry that is not one
   */
  static AllowedEndpoints parse(List<String> values) {
    Set<String> origins = new TreeSet<>();
    for (String value : values) {
      if (value.isBlank()) {
        throw new IllegalArgumentException("--allowed-endpoints needs at least one http(s)://host[:port]");
      }
      for (String entry : value.split(",", -1)) {
        origins.add(S3Endpoints.origin(endpoint(entry.trim())));
      }
    }
    return new AllowedEndpoints(origins);
  }

  private static URI endpoint(String entry) {
    URI uri;
    try {
      uri = new URI(entry);
    } catch (URISyntaxException e) {
      uri = null;
    }
    boolean bare = uri != null && uri.getRawUserInfo() == null && uri.getRawQuery() == null
        && uri.getRawFragment() == null && (uri.getRawPath() == null || uri.getRawPath().isEmpty()
        || "/".equals(uri.getRawPath()));
    if (!bare || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
      throw new IllegalArgumentException("--allowed-endpoints: '" + entry + "' is not http(s)://host[:port] with"
          + " nothing after it");
    }
    return uri;
  }

  /**
   * Why no request may go to {@code endpoint}, or null when one may.
   *
   * @param endpoint where the request would go; null for AWS itself (the SDK's endpoint for the region)
   */
  String refusal(URI endpoint, String defaultRegion) {
    if (endpoint == null) {
      return null;
    }
    if (endpoint.getHost() == null) {
      return "The endpoint '" + endpoint + "' names no host, and the check sends requests only to AWS and to"
          + " --allowed-endpoints. Nothing was read.";
    }
    String origin = S3Endpoints.origin(endpoint);
    if (origins.contains(origin) || S3Endpoints.isAws(endpoint, defaultRegion)) {
      return null;
    }
    return origin + " is not on --allowed-endpoints and is not AWS: the check sends requests (signed with this"
        + " environment's credentials) only to AWS and to the endpoints on that list. Add it to --allowed-endpoints"
        + " if this job may read buckets there. Nothing was read.";
  }
}
