package io.bucketprotection.operator.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class S3EndpointsTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(nullValues = "none", value = {
      "none, aws",
      "https://s3.amazonaws.com, aws",
      "http://s3.amazonaws.com/, aws",
      "https://s3.us-west-2.amazonaws.com, aws",
      "https://s3-us-west-2.amazonaws.com, aws",
      "https://s3-external-1.amazonaws.com, aws",
      "https://s3.dualstack.eu-west-1.amazonaws.com, aws",
      "https://s3-fips.us-east-1.amazonaws.com, aws",
      "https://s3-fips.dualstack.us-east-2.amazonaws.com, aws",
      "https://S3.EU-WEST-1.AMAZONAWS.COM., aws",
      "https://s3.cn-north-1.amazonaws.com.cn, aws-cn",
      "https://s3.dualstack.cn-northwest-1.amazonaws.com.cn, aws-cn",
      "https://s3.us-gov-west-1.amazonaws.com, aws-us-gov",
      "https://s3-fips.us-gov-east-1.amazonaws.com, aws-us-gov",
      "http://127.0.0.1:7480, http://127.0.0.1:7480",
      "http://127.0.0.1:7480/, http://127.0.0.1:7480",
      "HTTP://Ceph.Example.com, http://ceph.example.com:80",
      "https://ceph.example.com:443, https://ceph.example.com:443",
      "https://s3.amazonaws.com.evil.example, https://s3.amazonaws.com.evil.example:443",
      "https://mys3.amazonaws.com.example, https://mys3.amazonaws.com.example:443"})
  void identityMakesOneKeyPerAwsPartition(String endpoint, String identity) {
    assertEquals(identity, S3Endpoints.identity(endpoint == null ? null : URI.create(endpoint), "us-east-1"));
  }

  @Test
  void noEndpointBelongsToTheDefaultRegionsPartition() {
    assertEquals("aws-cn", S3Endpoints.identity(null, "cn-north-1"));
    assertEquals("aws-us-gov", S3Endpoints.identity(null, "us-gov-west-1"));
  }

  @Test
  void connectionKeysKeepFipsAndDualStackApart() {
    String plain = S3Endpoints.connectionKey(URI.create("https://s3.us-east-1.amazonaws.com"));
    assertNotEquals(plain, S3Endpoints.connectionKey(URI.create("https://s3-fips.us-east-1.amazonaws.com")));
    assertNotEquals(plain, S3Endpoints.connectionKey(URI.create("https://s3.dualstack.us-east-1.amazonaws.com")));
    assertEquals(plain, S3Endpoints.connectionKey(URI.create("https://S3.us-east-1.amazonaws.com/")));
    assertEquals("aws-default", S3Endpoints.connectionKey(null));
  }
}
