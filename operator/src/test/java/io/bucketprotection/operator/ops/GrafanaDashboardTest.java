package io.bucketprotection.operator.ops;

import static io.bucketprotection.operator.testsupport.Resources.protection;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.bucketprotection.operator.api.AccountReference;
import io.bucketprotection.operator.api.MfaSpec;
import io.bucketprotection.operator.api.SecretsManagerReference;
import io.bucketprotection.operator.api.TotpSeedSource;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.http.OperatorHttpServer;
import io.bucketprotection.operator.metrics.OperatorMetrics;
import io.bucketprotection.operator.s3.BucketState;
import io.bucketprotection.operator.s3.VersioningStatus;
import io.bucketprotection.operator.testsupport.Accounts;
import io.bucketprotection.operator.testsupport.FakeBucketStore;
import io.bucketprotection.operator.testsupport.FakeSecretsManagerServer;
import io.bucketprotection.operator.testsupport.MockKubernetes;
import io.bucketprotection.operator.testsupport.OperatorHarness;
import io.bucketprotection.operator.testsupport.PromQl;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/monitoring/dashboard.json is a Grafana dashboard, and every series its queries name is
 * one the operator exports: the real operator (against the CRUD mock, a fake S3 and a fake Secrets
 * Manager) does the work that makes every series appear, and its /metrics is scraped. A renamed
 * metric, a typo in a query or a label that does not exist fails here, not on someone's screen.
 */
class GrafanaDashboardTest {

  private static final Path DASHBOARD = Path.of("..", "deploy", "monitoring", "dashboard.json");
  private static final Path ALERTS = Path.of("..", "deploy", "monitoring", "prometheusrule.yaml");
  private static final String TITLE = "bucket-protection-operator";
  private static final String DATASOURCE = "${datasource}";
  private static final int GRID_COLUMNS = 24;
  private static final Set<String> PANEL_TYPES =
      Set.of("timeseries", "stat", "bargauge", "gauge", "table", "piechart", "heatmap");
  /** The operator's own series, JOSDK's, and the JVM's: a query names nothing else. */
  private static final List<String> OPERATOR_PREFIXES = List.of("bpo_", "operator_sdk_", "jvm_");
  /** Labels Prometheus adds to every series it scrapes (the operator exports none of them). */
  private static final Set<String> TARGET_LABELS = Set.of("job", "instance", "namespace", "pod");
  private static final Pattern LEGEND_LABEL = Pattern.compile("\\{\\{\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*}}");
  private static final String SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

  /** Every series name in one scrape of the working operator, with the label names it carries. */
  private static Map<String, Set<String>> exported;
  private static JsonNode dashboard;

  @BeforeAll
  static void scrapeTheWorkingOperator() throws Exception {
    dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
    exported = parseScrape(scrapeAfterWork());
  }

  /**
   * The operator changes one bucket's MFA Delete with a code from a seed kept in Secrets Manager:
   * that makes S3 calls, a Secrets Manager fetch, a code and reconciles; another change waits for a
   * person's code. The other series exist from the start.
   */
  private static String scrapeAfterWork() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Main binds the JVM's memory metrics to the registry it serves; the harness starts the
    // operator without Main, so they are bound here the same way.
    new JvmMemoryMetrics().bindTo(registry);
    String keyId = System.getProperty("aws.accessKeyId");
    String secretKey = System.getProperty("aws.secretAccessKey");
    System.setProperty("aws.accessKeyId", "OPERATORIDENTITY0001");
    System.setProperty("aws.secretAccessKey", "operator-identity-secret-key-0123456789");
    FakeBucketStore s3 = new FakeBucketStore(Clock.systemUTC());
    s3.registerDevice("dashboard-device", SEED, 1);
    s3.setState("dashboard-mfa", new BucketState(VersioningStatus.ENABLED, false));
    HttpClient http = HttpClient.newHttpClient();
    try (MockKubernetes kubernetes = new MockKubernetes();
         FakeSecretsManagerServer secretsManager = new FakeSecretsManagerServer()) {
      secretsManager.putSecret("dashboard/seed", "{\"seed\":\"" + SEED + "\"}");
      OperatorConfig config = OperatorConfig.fromEnvironment(Map.of(
          "AWS_ENDPOINT_URL_SECRETS_MANAGER", secretsManager.endpoint().toString()));
      try (OperatorHarness operator = new OperatorHarness(kubernetes.client(), s3, config, Clock.systemUTC(),
               new OperatorMetrics(registry));
           OperatorHttpServer server = OperatorHttpServer.metrics(0, registry)) {
        var account = Accounts.cluster("dashboard", List.of("dashboard-*"));
        // The operator's identity observes; the root keys (in Secrets Manager) sign the coded write.
        secretsManager.putSecret("dashboard/root", Accounts.rootKeysJson("AKIDDASHBOARDROOT001", "root-secret-0123456789"));
        account.getSpec().setObserver(Accounts.operatorObserver());
        account.getSpec().setCredentials(Accounts.rootInSecretsManager("dashboard/root"));
        account.getSpec().setMfa(new MfaSpec("dashboard-device",
            new TotpSeedSource(new SecretsManagerReference("dashboard/seed", "seed", null)), 1));
        account.getSpec().setNamespaces(Accounts.names("dashboard"));
        operator.awaitAccountReady(kubernetes.client().resource(account).create());
        var mfa = protection("dashboard", "mfa", "dashboard-mfa", "Enabled");
        mfa.getSpec().setMfaDelete("Enabled");
        mfa.getSpec().setAccountRef(new AccountReference("ClusterS3Account", "dashboard"));
        operator.create(mfa);
        operator.awaitReason("dashboard", "mfa", "Applied", Duration.ofSeconds(30));
        // A device whose seed nobody stores: a change waits for a person's code.
        var person = Accounts.cluster("dashboard-person", List.of("dashboard-person"));
        person.getSpec().setObserver(Accounts.operatorObserver());
        person.getSpec().setCredentials(Accounts.rootInSecretsManager("dashboard/root"));
        person.getSpec().setMfa(new MfaSpec("dashboard-token", null, 30));
        person.getSpec().setNamespaces(Accounts.names("dashboard"));
        operator.awaitAccountReady(kubernetes.client().resource(person).create());
        s3.setState("dashboard-person", new BucketState(VersioningStatus.ENABLED, false));
        var waiting = protection("dashboard", "person", "dashboard-person", "Enabled");
        waiting.getSpec().setMfaDelete("Enabled");
        waiting.getSpec().setAccountRef(new AccountReference("ClusterS3Account", "dashboard-person"));
        operator.create(waiting);
        operator.awaitReason("dashboard", "person", "AwaitingMfaCode", Duration.ofSeconds(30));

        URI metrics = URI.create("http://127.0.0.1:" + server.port() + "/metrics");
        // The reconcile that sent the code has ended once JOSDK has timed it.
        await().atMost(Duration.ofSeconds(10)).until(() -> {
          String scrape = http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
          return HealthAndMetricsTest.sample(scrape, "bpo_mfa_codes_used_total") == 1
              && scrape.contains("bpo_awaiting_mfa_code{device=\"dashboard-token at aws\"} 1.0")
              && scrape.contains("operator_sdk_controllers_execution_reconcile_seconds_count{controller=\"bucketprotection\"");
        });
        return http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
      }
    } finally {
      restore("aws.accessKeyId", keyId);
      restore("aws.secretAccessKey", secretKey);
    }
  }

  private static void restore(String property, String value) {
    if (value == null) {
      System.clearProperty(property);
    } else {
      System.setProperty(property, value);
    }
  }

  @Test
  void isAGrafanaDashboardWithADatasourceVariable() {
    assertEquals(TITLE, dashboard.path("title").asText());
    assertTrue(dashboard.path("uid").asText().matches("[A-Za-z0-9_-]{1,40}"), "uid: " + dashboard.path("uid"));
    assertTrue(dashboard.path("id").isNull(), "id is null, so an import never overwrites another dashboard");
    int schemaVersion = dashboard.path("schemaVersion").asInt(-1);
    assertTrue(schemaVersion >= 36 && schemaVersion <= 41, "schemaVersion " + schemaVersion);
    JsonNode variable = null;
    for (JsonNode v : dashboard.path("templating").path("list")) {
      if ("datasource".equals(v.path("name").asText())) {
        variable = v;
      }
    }
    assertTrue(variable != null, "a template variable named datasource");
    assertEquals("datasource", variable.path("type").asText());
    assertEquals("prometheus", variable.path("query").asText());
  }

  @Test
  void everyPanelIsCompleteAndPlacedWithoutOverlap() {
    JsonNode panels = dashboard.path("panels");
    assertTrue(panels.isArray() && !panels.isEmpty(), "panels");
    Set<Integer> ids = new HashSet<>();
    List<int[]> placed = new ArrayList<>();
    List<String> titles = new ArrayList<>();
    for (JsonNode panel : panels) {
      String title = panel.path("title").asText();
      assertFalse(title.isBlank(), "a panel without a title: " + panel);
      assertTrue(panel.path("id").isInt() && ids.add(panel.path("id").asInt()), title + ": id missing or not unique");
      assertTrue(PANEL_TYPES.contains(panel.path("type").asText()), title + ": type " + panel.path("type"));
      assertEquals(DATASOURCE, panel.path("datasource").path("uid").asText(), title + ": datasource");
      JsonNode grid = panel.path("gridPos");
      int x = grid.path("x").asInt(-1);
      int y = grid.path("y").asInt(-1);
      int w = grid.path("w").asInt(0);
      int h = grid.path("h").asInt(0);
      assertTrue(x >= 0 && y >= 0 && w > 0 && h > 0 && x + w <= GRID_COLUMNS, title + ": gridPos " + grid);
      for (int i = 0; i < placed.size(); i++) {
        int[] other = placed.get(i);
        boolean overlap = x < other[0] + other[2] && other[0] < x + w && y < other[1] + other[3] && other[1] < y + h;
        assertFalse(overlap, title + " overlaps " + titles.get(i));
      }
      placed.add(new int[] {x, y, w, h});
      titles.add(title);
      JsonNode targets = panel.path("targets");
      assertTrue(targets.isArray() && !targets.isEmpty(), title + ": no targets");
      Set<String> refIds = new HashSet<>();
      for (JsonNode target : targets) {
        assertTrue(refIds.add(target.path("refId").asText()), title + ": refId missing or repeated");
        assertFalse(target.path("expr").asText().isBlank(), title + ": a target without expr");
        assertEquals(DATASOURCE, target.path("datasource").path("uid").asText(), title + ": target datasource");
      }
    }
  }

  @Test
  void everySeriesAndLabelTheDashboardNamesIsExported() {
    List<String> problems = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        String where = "panel \"" + panel.path("title").asText() + "\" " + target.path("refId").asText();
        problems(target.path("expr").asText(), target.path("legendFormat").asText(""), exported)
            .forEach(p -> problems.add(where + ": " + p));
      }
    }
    assertEquals(List.of(), problems, "exported series: " + new TreeSet<>(exported.keySet()));
  }

  /** A new series of the operator gets a panel: the dashboard is where an operator looks for it. */
  @Test
  void everyBpoSeriesHasAPanel() {
    Set<String> shown = new HashSet<>();
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        PromQl.names(target.path("expr").asText()).metrics().forEach(m -> shown.add(family(m)));
      }
    }
    Set<String> missing = new TreeSet<>();
    exported.keySet().stream().filter(name -> name.startsWith("bpo_")).map(GrafanaDashboardTest::family)
        .filter(family -> !shown.contains(family)).forEach(missing::add);
    assertEquals(Set.of(), missing, "bpo_ series no panel shows");
  }

  /** The alerting example in the same folder is held to the same rule. */
  @Test
  void everySeriesTheAlertingRulesNameIsExported() throws IOException {
    JsonNode rules = new ObjectMapper(new YAMLFactory()).readTree(ALERTS.toFile());
    List<String> problems = new ArrayList<>();
    int alerts = 0;
    for (JsonNode group : rules.path("spec").path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        alerts++;
        problems(rule.path("expr").asText(), "", exported).forEach(p -> problems.add(rule.path("alert").asText() + ": " + p));
      }
    }
    assertTrue(alerts > 0, "no rules read from " + ALERTS);
    assertEquals(List.of(), problems);
  }

  /** The check itself: a series, a label or a legend label the operator does not export is a problem. */
  @Test
  void theCheckFindsWhatIsNotExported() {
    Map<String, Set<String>> scrape = Map.of(
        "bpo_drift_detected_total", Set.of(),
        "bpo_s3_requests_seconds_count", Set.of("operation", "outcome"));
    assertEquals(List.of(), problems(
        "sum by (operation, job) (rate(bpo_s3_requests_seconds_count{outcome!=\"ok\"}[$__rate_interval]))",
        "{{operation}} {{job}}", scrape));
    assertEquals(List.of("names bpo_drift_detected_totals, which the operator does not export"),
        problems("sum(increase(bpo_drift_detected_totals[5m]))", "", scrape));
    assertEquals(List.of("names kube_pod_info, which is not the operator's (" + OPERATOR_PREFIXES + ")"),
        problems("kube_pod_info", "", scrape));
    assertEquals(List.of("bpo_s3_requests_seconds_count has no label operaton"),
        problems("bpo_s3_requests_seconds_count{operaton=\"GetBucketVersioning\"}", "", scrape));
    assertEquals(List.of("groups by reason, which none of its series carries"),
        problems("sum by (reason) (bpo_s3_requests_seconds_count)", "", scrape));
    assertEquals(List.of("legend names {{reason}}, which none of its series carries"),
        problems("bpo_s3_requests_seconds_count", "{{reason}}", scrape));
    assertEquals(List.of("does not parse: unknown function rat in rat(bpo_drift_detected_total[5m])"),
        problems("rat(bpo_drift_detected_total[5m])", "", scrape));
  }

  @Test
  void theTokenizerTellsSeriesFromFunctionsKeywordsLabelsAndStrings() {
    Map<String, Set<String>> cases = new TreeMap<>(Map.of(
        "sum by (operation, outcome) (rate(bpo_a_count{outcome!=\"ok\", operation=~\"Get.*\"}[$__rate_interval]))",
        Set.of("bpo_a_count"),
        "histogram_quantile(0.95, sum by (le) (rate(operator_sdk_b_bucket[5m])))", Set.of("operator_sdk_b_bucket"),
        "sum(rate(bpo_c_sum[1m])) / sum(rate(bpo_c_count[1m])) > 0.5", Set.of("bpo_c_sum", "bpo_c_count"),
        "max(bpo_d) by (reason) > 0 and on (job) bpo_e offset 5m", Set.of("bpo_d", "bpo_e"),
        "label_replace(bpo_f, \"dst\", \"$1\", \"src\", \"(bpo_not_a_series.*)\")", Set.of("bpo_f"),
        "max_over_time(rate(bpo_g_total[5m])[1h:30s])", Set.of("bpo_g_total"),
        "sum without (instance) (bpo_h{a=\"}\", b='x,y'}) * on (pod) group_left (node) jvm_i",
        Set.of("bpo_h", "jvm_i"),
        "-bpo_j @ end() + 1e-3 - .5", Set.of("bpo_j")));
    cases.forEach((expression, metrics) ->
        assertEquals(metrics, PromQl.names(expression).metrics(), expression));
    assertEquals(Set.of("operation", "outcome"), PromQl.names(
        "sum by (operation, outcome) (bpo_a_count{outcome!=\"ok\"})").groupingLabels());
    assertEquals(Set.of("outcome", "operation"), PromQl.names(
        "bpo_a_count{outcome!=\"ok\", operation=~\"Get.*\"}").selectors().get(0).matcherLabels());
    assertThrows(IllegalArgumentException.class, () -> PromQl.names("{__name__=\"bpo_a\"}"));
    assertThrows(IllegalArgumentException.class, () -> PromQl.names("rat(bpo_a[5m])"));
    assertThrows(IllegalArgumentException.class, () -> PromQl.names("bpo_a{outcome}"));
    assertThrows(IllegalArgumentException.class, () -> PromQl.names("bpo_a{outcome=\"ok}"));
  }

  /** What is wrong with one query, against the series (and their label names) of a scrape. */
  static List<String> problems(String expression, String legend, Map<String, Set<String>> scrape) {
    PromQl.Names names;
    try {
      names = PromQl.names(expression);
    } catch (IllegalArgumentException e) {
      return List.of("does not parse: " + e.getMessage());
    }
    List<String> problems = new ArrayList<>();
    if (names.selectors().isEmpty()) {
      problems.add("names no series");
    }
    Set<String> carried = new HashSet<>(TARGET_LABELS);
    for (PromQl.Selector selector : names.selectors()) {
      String metric = selector.metric();
      if (OPERATOR_PREFIXES.stream().noneMatch(metric::startsWith)) {
        problems.add("names " + metric + ", which is not the operator's (" + OPERATOR_PREFIXES + ")");
      } else if (!scrape.containsKey(metric)) {
        problems.add("names " + metric + ", which the operator does not export");
      } else {
        carried.addAll(scrape.get(metric));
        for (String label : selector.matcherLabels()) {
          if (!scrape.get(metric).contains(label) && !TARGET_LABELS.contains(label)) {
            problems.add(metric + " has no label " + label);
          }
        }
      }
    }
    if (problems.isEmpty()) {
      names.groupingLabels().stream().filter(label -> !carried.contains(label))
          .forEach(label -> problems.add("groups by " + label + ", which none of its series carries"));
      Matcher legendLabels = LEGEND_LABEL.matcher(legend);
      while (legendLabels.find()) {
        if (!carried.contains(legendLabels.group(1))) {
          problems.add("legend names {{" + legendLabels.group(1) + "}}, which none of its series carries");
        }
      }
    }
    return problems;
  }

  /** A summary's or histogram's series as one family: bpo_x_seconds_count, _sum, _max are bpo_x_seconds. */
  private static String family(String series) {
    return series.replaceFirst("_(count|sum|bucket|max|created)$", "");
  }

  /** Series name to the label names its samples carry, from the Prometheus text format. */
  static Map<String, Set<String>> parseScrape(String scrape) {
    Map<String, Set<String>> series = new HashMap<>();
    for (String line : scrape.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int nameEnd = 0;
      while (nameEnd < line.length() && line.charAt(nameEnd) != '{' && line.charAt(nameEnd) != ' ') {
        nameEnd++;
      }
      Set<String> labels = series.computeIfAbsent(line.substring(0, nameEnd), n -> new LinkedHashSet<>());
      if (nameEnd < line.length() && line.charAt(nameEnd) == '{') {
        int i = nameEnd + 1;
        while (i < line.length() && line.charAt(i) != '}') {
          int equals = line.indexOf('=', i);
          labels.add(line.substring(i, equals));
          i = equals + 2; // past ="
          while (line.charAt(i) != '"') {
            i += line.charAt(i) == '\\' ? 2 : 1;
          }
          i++; // past the closing quote
          if (line.charAt(i) == ',') {
            i++;
          }
        }
      }
    }
    return series;
  }
}
