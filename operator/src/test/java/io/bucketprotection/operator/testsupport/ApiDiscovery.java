package io.bucketprotection.operator.testsupport;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.APIVersionsBuilder;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The API discovery documents a real API server would serve for the operator's CRDs, made from
 * the generated CRDs themselves (names, short names, scope, status subresource), so kubectl can
 * turn {@code bp/NAME} into a resource. The CRUD mock answers these paths with a list of every
 * object it stores instead.
 *
 * <p>These are the legacy (unaggregated) documents. kubectl 1.26+ asks for aggregated discovery
 * first (an Accept header naming apidiscovery.k8s.io/v2) and, like every client-go since, falls
 * back to these when the answer's Content-Type is plain application/json: what an API server older
 * than 1.26 does.
 */
public final class ApiDiscovery {

  /** What the API server allows on a custom resource, and on its status subresource. */
  private static final List<String> RESOURCE_VERBS =
      List.of("delete", "deletecollection", "get", "list", "patch", "create", "update", "watch");
  private static final List<String> STATUS_VERBS = List.of("get", "patch", "update");

  private final Map<String, String> documents = new LinkedHashMap<>();

  private ApiDiscovery(List<CustomResourceDefinition> crds) {
    // The core group, with the kinds the operator reads or writes (kubectl finds an empty list an error).
    documents.put("/api", Serialization.asJson(new APIVersionsBuilder().withVersions("v1").build()));
    documents.put("/api/v1", Serialization.asJson(new APIResourceListBuilder().withGroupVersion("v1")
        .withResources(
            core("namespaces", "namespace", "Namespace", false, "ns"),
            core("secrets", "secret", "Secret", true),
            core("events", "event", "Event", true, "ev"),
            // What `kubectl apply -k deploy/` installs besides the CRDs' kinds.
            core("serviceaccounts", "serviceaccount", "ServiceAccount", true, "sa"),
            core("services", "service", "Service", true, "svc"),
            core("configmaps", "configmap", "ConfigMap", true, "cm"))
        .build()));

    Map<String, List<CustomResourceDefinition>> byGroup = new LinkedHashMap<>();
    crds.forEach(crd -> byGroup.computeIfAbsent(crd.getSpec().getGroup(), g -> new ArrayList<>()).add(crd));
    List<APIGroup> groups = new ArrayList<>();
    byGroup.forEach((group, groupCrds) -> {
      Map<String, List<APIResource>> byVersion = new LinkedHashMap<>();
      String storageVersion = null;
      for (CustomResourceDefinition crd : groupCrds) {
        for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
          if (!Boolean.TRUE.equals(version.getServed())) {
            continue;
          }
          if (Boolean.TRUE.equals(version.getStorage())) {
            storageVersion = version.getName();
          }
          byVersion.computeIfAbsent(version.getName(), v -> new ArrayList<>()).addAll(resources(crd, version));
        }
      }
      List<GroupVersionForDiscovery> versions = byVersion.keySet().stream()
          .map(v -> new GroupVersionForDiscovery(group + "/" + v, v)).toList();
      String preferredVersion = byVersion.containsKey(storageVersion) ? storageVersion
          : byVersion.keySet().iterator().next();
      GroupVersionForDiscovery preferred =
          new GroupVersionForDiscovery(group + "/" + preferredVersion, preferredVersion);
      APIGroup apiGroup = new APIGroupBuilder().withName(group).withVersions(versions)
          .withPreferredVersion(preferred).build();
      groups.add(apiGroup);
      documents.put("/apis/" + group, Serialization.asJson(apiGroup));
      byVersion.forEach((version, resources) -> documents.put("/apis/" + group + "/" + version,
          Serialization.asJson(new APIResourceListBuilder().withGroupVersion(group + "/" + version)
              .withResources(resources).build())));
    });
    builtIn(groups, "apps", "v1", core("deployments", "deployment", "Deployment", true, "deploy"));
    builtIn(groups, "rbac.authorization.k8s.io", "v1",
        core("clusterroles", "clusterrole", "ClusterRole", false),
        core("clusterrolebindings", "clusterrolebinding", "ClusterRoleBinding", false),
        core("roles", "role", "Role", true), core("rolebindings", "rolebinding", "RoleBinding", true));
    builtIn(groups, "policy", "v1", core("poddisruptionbudgets", "poddisruptionbudget", "PodDisruptionBudget", true,
        "pdb"));
    builtIn(groups, "networking.k8s.io", "v1", core("networkpolicies", "networkpolicy", "NetworkPolicy", true,
        "netpol"));
    builtIn(groups, "apiextensions.k8s.io", "v1", core("customresourcedefinitions", "customresourcedefinition",
        "CustomResourceDefinition", false, "crd", "crds"));
    builtIn(groups, "coordination.k8s.io", "v1", core("leases", "lease", "Lease", true));
    documents.put("/apis", Serialization.asJson(new APIGroupListBuilder().withGroups(groups).build()));
  }

  /** Discovery for the CRDs MockKubernetes installs. */
  public static ApiDiscovery forOperatorCrds() {
    List<CustomResourceDefinition> crds = new ArrayList<>();
    for (String resource : MockKubernetes.CRD_RESOURCES) {
      try (InputStream in = ApiDiscovery.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException("no generated CRD " + resource + " on the test classpath");
        }
        crds.add(Serialization.unmarshal(in, CustomResourceDefinition.class));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the generated CRD " + resource, e);
      }
    }
    return new ApiDiscovery(crds);
  }

  /** The JSON document served at {@code path} (no query), if it is a discovery path. */
  public Optional<String> document(String path) {
    String trimmed = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    return Optional.ofNullable(documents.get(trimmed));
  }

  /** A built-in group of one version, as an API server lists it. */
  private void builtIn(List<APIGroup> groups, String group, String version, APIResource... resources) {
    GroupVersionForDiscovery only = new GroupVersionForDiscovery(group + "/" + version, version);
    APIGroup apiGroup = new APIGroupBuilder().withName(group).withVersions(only).withPreferredVersion(only).build();
    groups.add(apiGroup);
    documents.put("/apis/" + group, Serialization.asJson(apiGroup));
    documents.put("/apis/" + group + "/" + version, Serialization.asJson(new APIResourceListBuilder()
        .withGroupVersion(group + "/" + version).withResources(resources).build()));
  }

  private static APIResource core(String plural, String singular, String kind, boolean namespaced,
      String... shortNames) {
    return new APIResourceBuilder().withName(plural).withSingularName(singular).withKind(kind)
        .withNamespaced(namespaced).withVerbs(RESOURCE_VERBS).withShortNames(shortNames).build();
  }

  private static List<APIResource> resources(CustomResourceDefinition crd, CustomResourceDefinitionVersion version) {
    var names = crd.getSpec().getNames();
    boolean namespaced = "Namespaced".equals(crd.getSpec().getScope());
    List<APIResource> resources = new ArrayList<>();
    resources.add(new APIResourceBuilder().withName(names.getPlural()).withSingularName(names.getSingular())
        .withKind(names.getKind()).withNamespaced(namespaced).withVerbs(RESOURCE_VERBS)
        .withShortNames(names.getShortNames()).withCategories(names.getCategories()).build());
    if (version.getSubresources() != null && version.getSubresources().getStatus() != null) {
      resources.add(new APIResourceBuilder().withName(names.getPlural() + "/status").withSingularName("")
          .withKind(names.getKind()).withNamespaced(namespaced).withVerbs(STATUS_VERBS).build());
    }
    return resources;
  }
}
