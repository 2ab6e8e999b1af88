package io.bucketprotection.operator.aws;

import java.time.Duration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/**
 * The HTTP settings every AWS client of the operator shares (S3 and Secrets Manager): the JDK's
 * URLConnection (no second Netty, no Apache client whose wire log prints headers) and its timeouts.
 *
 * <p>The timeouts bound how long one silent endpoint (a black hole that accepts connections and
 * never answers) holds a reconcile thread: S3 calls answer in well under a second, so a server
 * silent for {@link #SOCKET_TIMEOUT} is not going to answer. docs/security.md "Timeouts" adds them up.
 */
public final class AwsHttp {

  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
  /** Silence while waiting for (the rest of) an answer. */
  public static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(5);
  /** One attempt of a call, redirects included. */
  public static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(6);
  /** One whole call, retries included. */
  public static final Duration CALL_TIMEOUT = Duration.ofSeconds(12);

  private AwsHttp() {
  }

  public static UrlConnectionHttpClient.Builder client() {
    return UrlConnectionHttpClient.builder()
        .connectionTimeout(CONNECT_TIMEOUT)
        .socketTimeout(SOCKET_TIMEOUT);
  }
}
