package io.bucketprotection.operator.aws;

import java.time.Duration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/**
 * The HTTP settings every AWS client of the operator shares (S3 and Secrets Manager): the JDK's
 * URLConnection (no second Netty, no Apache client whose wire log prints headers) and its timeouts.
 */
public final class AwsHttp {

  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(20);
  /** One whole call, redirects included. */
  public static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

  private AwsHttp() {
  }

  public static UrlConnectionHttpClient.Builder client() {
    return UrlConnectionHttpClient.builder()
        .connectionTimeout(CONNECT_TIMEOUT)
        .socketTimeout(SOCKET_TIMEOUT);
  }
}
