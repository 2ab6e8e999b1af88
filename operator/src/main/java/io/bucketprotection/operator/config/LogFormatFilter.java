package io.bucketprotection.operator.config;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Lets an appender write only when LOG_FORMAT names it. Both the plain and the JSON appender
 * stay attached (an unreferenced appender makes logback print its own status at every start),
 * and exactly one of them writes.
 */
public final class LogFormatFilter extends Filter<ILoggingEvent> {

  private String format = "plain";
  private String selected = "plain";

  /** The format this appender writes. */
  public void setFormat(String format) {
    this.format = format.trim().toLowerCase(java.util.Locale.ROOT);
  }

  /** The format LOG_FORMAT selects. */
  public void setSelected(String selected) {
    this.selected = selected.trim().toLowerCase(java.util.Locale.ROOT);
  }

  @Override
  public FilterReply decide(ILoggingEvent event) {
    return format.equals(selected) ? FilterReply.NEUTRAL : FilterReply.DENY;
  }
}
