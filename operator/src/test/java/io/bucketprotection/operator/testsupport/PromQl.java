package io.bucketprotection.operator.testsupport;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a PromQL expression names: the series it selects (with the labels its matchers name), the
 * labels it groups or matches by, and the functions it calls. A small tokenizer and a scan over its
 * tokens, not a full parser: enough to tell a series name from a function, a keyword, a label in
 * {@code by (...)}, a string or a duration, and to refuse what it does not understand.
 */
public final class PromQl {

  /** One vector selector: {@code metric{label="value", ...}}. */
  public record Selector(String metric, Set<String> matcherLabels) {
  }

  /** Everything one expression names. */
  public record Names(List<Selector> selectors, Set<String> groupingLabels, Set<String> functions) {

    public Set<String> metrics() {
      Set<String> metrics = new LinkedHashSet<>();
      selectors.forEach(s -> metrics.add(s.metric()));
      return metrics;
    }
  }

  /** Aggregation operators: followed by "(" or by "by"/"without". */
  private static final Set<String> AGGREGATIONS = Set.of("sum", "min", "max", "avg", "group", "stddev", "stdvar",
      "count", "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio");

  /** PromQL's functions (Prometheus 2.x and 3.x): always followed by "(". */
  private static final Set<String> FUNCTIONS = Set.of("abs", "absent", "absent_over_time", "acos", "acosh", "asin",
      "asinh", "atan", "atanh", "avg_over_time", "ceil", "changes", "clamp", "clamp_max", "clamp_min", "cos", "cosh",
      "count_over_time", "days_in_month", "day_of_month", "day_of_week", "day_of_year", "deg", "delta", "deriv",
      "exp", "floor", "histogram_avg", "histogram_count", "histogram_fraction", "histogram_quantile",
      "histogram_stddev", "histogram_stdvar", "histogram_sum", "holt_winters", "double_exponential_smoothing",
      "hour", "idelta", "increase", "irate", "label_join", "label_replace", "last_over_time", "ln", "log10", "log2",
      "mad_over_time", "max_over_time", "min_over_time", "minute", "month", "pi", "predict_linear",
      "present_over_time", "quantile_over_time", "rad", "rate", "resets", "round", "scalar", "sgn", "sin", "sinh",
      "sort", "sort_by_label", "sort_by_label_desc", "sort_desc", "sqrt", "stddev_over_time", "stdvar_over_time",
      "sum_over_time", "tan", "tanh", "time", "timestamp", "vector", "year",
      // the @ modifier's start() and end()
      "start", "end");

  /** Keywords followed by a parenthesised list of label names. */
  private static final Set<String> LABEL_LIST_KEYWORDS =
      Set.of("by", "without", "on", "ignoring", "group_left", "group_right");

  /** Binary operators and modifiers spelled as words. */
  private static final Set<String> WORD_OPERATORS = Set.of("and", "or", "unless", "bool", "offset", "atan2");

  private enum Kind { IDENTIFIER, STRING, NUMBER, VARIABLE, PUNCTUATION, OPERATOR }

  private record Token(Kind kind, String text) {
    boolean is(String punctuation) {
      return kind == Kind.PUNCTUATION && text.equals(punctuation);
    }
  }

  private PromQl() {
  }

  /** @throws IllegalArgumentException when the expression holds something this scan does not understand */
  public static Names names(String expression) {
    List<Token> tokens = tokenize(expression);
    List<Selector> selectors = new ArrayList<>();
    Set<String> grouping = new LinkedHashSet<>();
    Set<String> functions = new LinkedHashSet<>();
    for (int i = 0; i < tokens.size(); i++) {
      Token token = tokens.get(i);
      Token next = i + 1 < tokens.size() ? tokens.get(i + 1) : null;
      if (token.is("[")) {
        // A range or subquery: durations, ":", Grafana's $__rate_interval; no names.
        i = closing(tokens, i, "]", expression);
      } else if (token.is("{")) {
        throw new IllegalArgumentException("a selector without a metric name (" + expression + "): name the series");
      } else if (token.kind() != Kind.IDENTIFIER) {
        continue;
      } else if (LABEL_LIST_KEYWORDS.contains(token.text())) {
        if (next != null && next.is("(")) {
          int end = closing(tokens, i + 1, ")", expression);
          for (Token label : tokens.subList(i + 2, end)) {
            if (label.kind() == Kind.IDENTIFIER) {
              grouping.add(label.text());
            } else if (!label.is(",")) {
              throw new IllegalArgumentException("not a label list after " + token.text() + ": " + expression);
            }
          }
          i = end;
        }
      } else if (WORD_OPERATORS.contains(token.text())) {
        continue;
      } else if (AGGREGATIONS.contains(token.text())) {
        functions.add(token.text());
      } else if (next != null && next.is("(")) {
        if (!FUNCTIONS.contains(token.text())) {
          throw new IllegalArgumentException("unknown function " + token.text() + " in " + expression);
        }
        functions.add(token.text());
      } else {
        Set<String> matcherLabels = new LinkedHashSet<>();
        if (next != null && next.is("{")) {
          int end = closing(tokens, i + 1, "}", expression);
          List<Token> matchers = tokens.subList(i + 2, end);
          for (int m = 0; m < matchers.size(); m += 4) {
            // label, operator, "value", then "," or the end
            if (matchers.size() < m + 3 || matchers.get(m).kind() != Kind.IDENTIFIER
                || matchers.get(m + 1).kind() != Kind.OPERATOR || matchers.get(m + 2).kind() != Kind.STRING
                || (matchers.size() > m + 3 && !matchers.get(m + 3).is(","))) {
              throw new IllegalArgumentException("not a label matcher list after " + token.text() + ": " + expression);
            }
            matcherLabels.add(matchers.get(m).text());
          }
          i = end;
        }
        selectors.add(new Selector(token.text(), matcherLabels));
      }
    }
    return new Names(selectors, grouping, functions);
  }

  private static int closing(List<Token> tokens, int open, String close, String expression) {
    for (int i = open + 1; i < tokens.size(); i++) {
      if (tokens.get(i).is(close)) {
        return i;
      }
    }
    throw new IllegalArgumentException("no " + close + " closes position " + open + " in " + expression);
  }

  private static List<Token> tokenize(String expression) {
    List<Token> tokens = new ArrayList<>();
    int i = 0;
    while (i < expression.length()) {
      char c = expression.charAt(i);
      int start = i;
      if (Character.isWhitespace(c)) {
        i++;
        continue;
      }
      if (c == '"' || c == '\'' || c == '`') {
        i++;
        while (i < expression.length() && expression.charAt(i) != c) {
          i += expression.charAt(i) == '\\' && c != '`' ? 2 : 1;
        }
        if (i >= expression.length()) {
          throw new IllegalArgumentException("unterminated string in " + expression);
        }
        i++;
        tokens.add(new Token(Kind.STRING, expression.substring(start, i)));
      } else if (Character.isDigit(c) || (c == '.' && i + 1 < expression.length()
          && Character.isDigit(expression.charAt(i + 1)))) {
        // Numbers and durations: 0.95, 1e-3, 0x1f, 5m, 1h30m.
        i++;
        while (i < expression.length() && (Character.isLetterOrDigit(expression.charAt(i))
            || expression.charAt(i) == '.' || expression.charAt(i) == '_'
            || ((expression.charAt(i) == '-' || expression.charAt(i) == '+')
                && Character.toLowerCase(expression.charAt(i - 1)) == 'e'))) {
          i++;
        }
        tokens.add(new Token(Kind.NUMBER, expression.substring(start, i)));
      } else if (Character.isLetter(c) || c == '_' || c == ':') {
        i++;
        while (i < expression.length() && (Character.isLetterOrDigit(expression.charAt(i))
            || expression.charAt(i) == '_' || expression.charAt(i) == ':')) {
          i++;
        }
        tokens.add(new Token(Kind.IDENTIFIER, expression.substring(start, i)));
      } else if (c == '$') {
        // A Grafana variable: $name or ${name}.
        i++;
        if (i < expression.length() && expression.charAt(i) == '{') {
          int end = expression.indexOf('}', i);
          if (end < 0) {
            throw new IllegalArgumentException("unterminated ${ in " + expression);
          }
          i = end + 1;
        } else {
          while (i < expression.length() && (Character.isLetterOrDigit(expression.charAt(i))
              || expression.charAt(i) == '_')) {
            i++;
          }
        }
        tokens.add(new Token(Kind.VARIABLE, expression.substring(start, i)));
      } else if ("{}()[],".indexOf(c) >= 0) {
        i++;
        tokens.add(new Token(Kind.PUNCTUATION, String.valueOf(c)));
      } else if ("=!<>~+-*/%^@".indexOf(c) >= 0) {
        i++;
        while (i < expression.length() && "=~".indexOf(expression.charAt(i)) >= 0) {
          i++;
        }
        tokens.add(new Token(Kind.OPERATOR, expression.substring(start, i)));
      } else {
        throw new IllegalArgumentException("unexpected '" + c + "' at " + i + " in " + expression);
      }
    }
    return tokens;
  }
}
