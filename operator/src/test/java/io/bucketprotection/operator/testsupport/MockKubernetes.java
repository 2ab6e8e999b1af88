package io.bucketprotection.operator.testsupport;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * The fabric8 CRUD mock API server, built the way fabric8's own JUnit extension builds it (one
 * shared response map, a mixed dispatcher), with the operator's generated CRDs installed so the
 * mock knows about the status subresources.
 */
public final class MockKubernetes implements AutoCloseable {

  public static final List<String> CRD_RESOURCES = List.of(
      "/META-INF/fabric8/bucketprotections.bucketprotection.io-v1.yml",
      "/META-INF/fabric8/clusters3accounts.bucketprotection.io-v1.yml",
      "/META-INF/fabric8/s3accounts.bucketprotection.io-v1.yml",
      "/META-INF/fabric8/bucketprotectionpolicies.bucketprotection.io-v1.yml",
      "/META-INF/fabric8/objectversiondeletions.bucketprotection.io-v1.yml");

  static {
    // The mock logs every request through java.util.logging: route it to logback, which quietens it.
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
  }

  private final KubernetesMockServer server;
  private final NamespacedKubernetesClient client;

  public MockKubernetes() {
    this(true);
  }

  /** An API server with nothing installed, not even the operator's CRDs: what a new cluster is. */
  public static MockKubernetes empty() {
    return new MockKubernetes(false);
  }

  private MockKubernetes(boolean withCrds) {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(), responses,
        new KubernetesMixedDispatcher(responses), false);
    server.init();
    client = server.createClient();
    answerLeaseAccessReviews();
    for (String resource : withCrds ? CRD_RESOURCES : List.<String>of()) {
      try (InputStream crd = MockKubernetes.class.getResourceAsStream(resource)) {
        client.apiextensions().v1().customResourceDefinitions().load(crd).create();
      } catch (java.io.IOException e) {
        throw new IllegalStateException("cannot read the generated CRD " + resource, e);
      }
    }
  }

  /**
   * JOSDK checks, before leader election, that it may use Leases, with a SelfSubjectRulesReview: a
   * real API server answers it for every authenticated user (system:basic-user), the CRUD mock
   * does not. Answer it as a real server would for the operator's leader-election Role.
   */
  private void answerLeaseAccessReviews() {
    var review = new io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder()
        .withNewMetadata().endMetadata()
        .withNewSpec().withNamespace("bucket-protection-system").endSpec()
        .withNewStatus().withIncomplete(false)
        .addNewResourceRule().withApiGroups("coordination.k8s.io").withResources("leases")
        .withVerbs("get", "create", "update", "patch").endResourceRule()
        .endStatus().build();
    server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(201, review).always();
  }

  public KubernetesClient client() {
    return client;
  }

  /** Creates the Namespace object unless it exists (the CRUD mock creates none by itself). */
  public void ensureNamespace(String name) {
    if (client.namespaces().withName(name).get() == null) {
      client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
          .withNewMetadata().withName(name).endMetadata().build()).create();
    }
  }

  /** Another client of this API server whose requests carry {@code userAgent}, to tell them apart. */
  public KubernetesClient newClient(String userAgent) {
    return new io.fabric8.kubernetes.client.KubernetesClientBuilder()
        .withConfig(new io.fabric8.kubernetes.client.ConfigBuilder(client.getConfiguration()).withUserAgent(userAgent).build())
        .build();
  }

  /** The API server URL, for a separate operator process (KUBERNETES_MASTER). */
  public String url() {
    return client.getMasterUrl().toString();
  }

  /** Every request received since the last call (or since start), oldest first. */
  public List<RecordedRequest> drainRequests() throws InterruptedException {
    List<RecordedRequest> requests = new ArrayList<>();
    RecordedRequest request;
    while ((request = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
      requests.add(request);
    }
    return requests;
  }

  /** Writes (anything but GET) since the last drain, as "METHOD path" lines. */
  public List<String> drainWrites() throws InterruptedException {
    return drainRequests().stream()
        .filter(r -> !"GET".equals(r.getMethod()))
        .map(r -> r.getMethod() + " " + r.getPath())
        .toList();
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
