package io.bucketprotection.operator.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The shipped logback.xml honours LOG_FORMAT (plain or json) and LOG_LEVEL. */
class LogFormatTest {

  @ParameterizedTest
  @ValueSource(strings = {"plain", "json"})
  void theShippedConfigurationPicksTheFormatAndLevel(String format) throws Exception {
    URL shipped = LogFormatTest.class.getClassLoader().getResource("logback.xml");
    assertNotNull(shipped);
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    context.putProperty("LOG_FORMAT", format);
    context.putProperty("LOG_LEVEL", "DEBUG");
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(shipped);
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    assertEquals(Level.DEBUG, root.getLevel());
    assertEquals(Level.INFO, context.getLogger("software.amazon.awssdk.http.auth.aws.internal.signer").getEffectiveLevel(),
        "the secret caps hold at DEBUG");
    @SuppressWarnings("unchecked")
    OutputStreamAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
        (OutputStreamAppender<ch.qos.logback.classic.spi.ILoggingEvent>) root.getAppender(format);
    assertNotNull(appender, "appender " + format);
    var other = root.getAppender("json".equals(format) ? "plain" : "json");
    LoggingEvent probe = new LoggingEvent("x", context.getLogger("io.bucketprotection"), Level.INFO, "probe", null, null);
    assertEquals(ch.qos.logback.core.spi.FilterReply.NEUTRAL, appender.getFilterChainDecision(probe), "this format writes");
    assertEquals(ch.qos.logback.core.spi.FilterReply.DENY, other.getFilterChainDecision(probe), "the other stays silent");
    assertTrue(context.getStatusManager().getCopyOfStatusList().stream().noneMatch(s -> s.getLevel() >= 1),
        "logback reports no warning about the configuration");
    byte[] encoded = appender.getEncoder().encode(new LoggingEvent("x", context.getLogger("io.bucketprotection"),
        Level.INFO, "bucket {} in sync", null, new Object[] {"b1"}));
    String line = new String(encoded, StandardCharsets.UTF_8);
    if ("json".equals(format)) {
      JsonNode json = new ObjectMapper().readTree(line);
      assertEquals("bucket b1 in sync", json.path("formattedMessage").asText());
      assertEquals("INFO", json.path("level").asText());
    } else {
      assertTrue(line.contains("INFO") && line.contains("bucket b1 in sync"), line);
    }
  }
}
