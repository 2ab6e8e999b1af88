package io.bucketprotection.operator.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * .github/workflows/release.yml cannot run here: this reads it as YAML and checks what a release
 * must do. A tag v* builds the image with the developers' own command, pushes it tagged with the
 * tag's version, signs it keyless and attaches the SBOMs; the Helm chart is packaged with the
 * command HelmChartTest runs and pushed as an OCI chart beside the image.
 */
class ReleaseWorkflowTest {

  private static final Path WORKFLOW = Path.of("..", ".github", "workflows", "release.yml");

  private static Map<?, ?> workflow() throws Exception {
    return Serialization.unmarshal(Files.readString(WORKFLOW), Map.class);
  }

  /** Every step's run: script, in order, across the jobs. */
  private static String runs(Map<?, ?> workflow) {
    return ((Map<?, ?>) workflow.get("jobs")).values().stream()
        .flatMap(job -> ((List<?>) ((Map<?, ?>) job).get("steps")).stream())
        .map(step -> String.valueOf(((Map<?, ?>) step).get("run")) + "\n" + ((Map<?, ?>) step).get("env"))
        .collect(Collectors.joining("\n"));
  }

  @Test
  void runsOnVersionTagsOnly() throws Exception {
    // YAML 1.1 reads the key `on` as true; either way it is the trigger.
    Map<?, ?> workflow = workflow();
    Object on = workflow.containsKey("on") ? workflow.get("on") : workflow.get(true);
    assertEquals(Map.of("push", Map.of("tags", List.of("v*"))), on);
  }

  @Test
  void buildsWithTheSameCommandAsADeveloper() throws Exception {
    assertTrue(runs(workflow()).contains("hack/build-image.sh"), runs(workflow()));
  }

  @Test
  void pushesTheTarballTaggedWithTheTagsVersion() throws Exception {
    String runs = runs(workflow());
    assertTrue(runs.contains("version=${TAG#v}") && runs.contains("TAG=${{ github.ref_name }}"), runs);
    assertTrue(runs.contains("docker-archive:operator/target/image.tar \"docker://$IMAGE:$version\""), runs);
  }

  @Test
  void signsKeylessAndAttestsBothSboms() throws Exception {
    Map<?, ?> workflow = workflow();
    assertEquals("write", ((Map<?, ?>) workflow.get("permissions")).get("id-token"), "keyless needs the OIDC token");
    String text = Files.readString(WORKFLOW);
    assertTrue(text.contains("uses: sigstore/cosign-installer@"), "cosign installed");
    String runs = runs(workflow);
    assertTrue(runs.contains("cosign sign --yes \"$REF\""), runs);
    assertTrue(!runs.contains("--key"), "keyless: no key");
    assertTrue(runs.contains("REF=${{ env.IMAGE }}@${{ steps.push.outputs.digest }}"), "signs the pushed digest");
    for (String sbom : List.of("image-sbom-dependencies.cdx.json", "image-sbom-debian.cdx.json")) {
      assertTrue(runs.contains("cosign attest --yes --type cyclonedx --predicate operator/target/" + sbom), sbom);
      assertTrue(runs.contains("gh release create") && runs.lines().filter(l -> l.contains(sbom)).count() >= 2,
          sbom + " attached to the release");
    }
  }

  /**
   * The chart is packaged by hack/package-chart.sh, the command HelmChartTest runs (so what is
   * pushed is what was tested), checked to be the tag's version, and pushed to ghcr.io as an OCI chart.
   */
  @Test
  void packagesTheChartWithTheTestedCommandAndPushesItAsAnOciChart() throws Exception {
    Map<?, ?> workflow = workflow();
    List<?> steps = (List<?>) ((Map<?, ?>) ((Map<?, ?>) workflow.get("jobs")).get("image")).get("steps");
    Map<?, ?> step = steps.stream().map(Map.class::cast).filter(s -> "Push the Helm chart".equals(s.get("name")))
        .findFirst().orElseThrow(() -> new AssertionError("a step \"Push the Helm chart\""));
    String run = String.valueOf(step.get("run"));
    String tested = Files.readString(Path.of("src/test/java/io/bucketprotection/operator/deploy/HelmChartTest.java"));
    assertTrue(tested.contains("\"hack/package-chart.sh\""), "HelmChartTest runs hack/package-chart.sh");
    assertTrue(run.contains("chart=$(hack/package-chart.sh operator/target/helm)"), run);
    assertTrue(!run.contains("helm package"), "one packaging command: hack/package-chart.sh");
    assertTrue(run.contains("*/bucket-protection-operator-$version.tgz") && run.contains("version=${TAG#v}"),
        "the chart's version is the tag's: " + run);
    assertTrue(run.contains("helm registry login ghcr.io"), run);
    assertTrue(run.contains("helm push \"$chart\" \"$CHARTS\""), run);
    assertEquals("oci://ghcr.io/${{ github.repository_owner }}/charts", ((Map<?, ?>) step.get("env")).get("CHARTS"));
    int push = steps.indexOf(steps.stream().map(Map.class::cast).filter(s -> "Push the image".equals(s.get("name")))
        .findFirst().orElseThrow());
    assertTrue(steps.indexOf(step) > push, "beside the image, after it is pushed");
  }
}
