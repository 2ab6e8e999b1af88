package io.bucketprotection.operator.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The podman command that runs the operator's image: hardened as the Deployment, with no secret on it. */
class ContainerOperatorTest {

  private static final List<String> COMMAND = ContainerOperator.runCommand(List.of("hack/podman.sh"), "img:1", "bpo-1",
      Map.of("KUBERNETES_MASTER", "http://127.0.0.1:1234/", "BPO_HTTP_PORT", "0"),
      Set.of("AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID"));

  @Test
  void runsAsTheDeploymentRunsThePod() {
    assertEquals(List.of("hack/podman.sh", "run", "--rm", "--name", "bpo-1", "--network=host"), COMMAND.subList(0, 6));
    assertEquals(1, Collections.indexOfSubList(COMMAND, List.of("run")));
    assertTrue(Collections.indexOfSubList(COMMAND, List.of("--user", "65532:65532")) > 0, COMMAND.toString());
    for (String flag : List.of("--read-only", "--cap-drop=ALL", "no-new-privileges", "nofile=1024:1024")) {
      assertTrue(COMMAND.contains(flag), flag + " missing: " + COMMAND);
    }
    assertEquals("img:1", COMMAND.get(COMMAND.size() - 1), "the image last: no command, the image's entrypoint runs");
  }

  @Test
  void settingsCarryTheirValuesAndSecretsOnlyTheirNames() {
    assertTrue(Collections.indexOfSubList(COMMAND, List.of("--env", "KUBERNETES_MASTER=http://127.0.0.1:1234/")) > 0);
    assertTrue(Collections.indexOfSubList(COMMAND, List.of("--env", "AWS_ACCESS_KEY_ID", "--env",
        "AWS_SECRET_ACCESS_KEY")) > 0, COMMAND.toString());
    assertFalse(COMMAND.stream().anyMatch(a -> a.startsWith("AWS_SECRET_ACCESS_KEY=")), COMMAND.toString());
  }

  @Test
  void aLoadedTarballIsRunByTheNamePodmanGaveIt() throws IOException {
    assertEquals("ghcr.io/x/op:0.2.0", ContainerOperator.loadedName(
        "Getting image source signatures\nCopying blob 1\nStoring signatures\nLoaded image: ghcr.io/x/op:0.2.0\n"));
    assertThrows(IOException.class, () -> ContainerOperator.loadedName("Error: payload does not match\n"));
  }
}
