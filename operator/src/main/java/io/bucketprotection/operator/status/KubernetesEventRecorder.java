package io.bucketprotection.operator.status;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes core/v1 Events, the kind {@code kubectl describe} shows. */
public final class KubernetesEventRecorder implements EventRecorder {

  private static final Logger LOG = LoggerFactory.getLogger(KubernetesEventRecorder.class);
  static final String COMPONENT = "bucket-protection-operator";
  /** Kubernetes caps an event message at 1 KiB. */
  private static final int MAX_MESSAGE = 1024;

  private final KubernetesClient client;
  private final Clock clock;
  private final AtomicLong sequence = new AtomicLong();

  public KubernetesEventRecorder(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  @Override
  public void record(HasMetadata resource, Type type, String reason, String message) {
    String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    String namespace = resource.getMetadata().getNamespace();
    // Unique per event, like client-go's recorder: <object>.<hex time><sequence>.
    String name = resource.getMetadata().getName() + "."
        + Long.toHexString(clock.millis()) + Long.toHexString(sequence.incrementAndGet());
    Event event = new EventBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
        .withNewInvolvedObject()
        .withApiVersion(resource.getApiVersion())
        .withKind(resource.getKind())
        .withName(resource.getMetadata().getName())
        .withNamespace(namespace)
        .withUid(resource.getMetadata().getUid())
        .withResourceVersion(resource.getMetadata().getResourceVersion())
        .endInvolvedObject()
        .withType(type.name())
        .withReason(reason)
        .withMessage(message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) : message)
        .withFirstTimestamp(now)
        .withLastTimestamp(now)
        .withCount(1)
        .withNewSource().withComponent(COMPONENT).endSource()
        .withReportingComponent(COMPONENT)
        .build();
    try {
      client.v1().events().inNamespace(namespace).resource(event).create();
    } catch (KubernetesClientException e) {
      // An event is a courtesy: never fail a reconcile over one.
      LOG.warn("Could not record event {} on {}/{}: HTTP {}", reason, namespace,
          resource.getMetadata().getName(), e.getCode());
    }
  }
}
