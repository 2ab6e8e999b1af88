package io.bucketprotection.operator.testsupport;

import java.util.Map;

/**
 * The ports of the tests' RadosGW lab, moved with LAB_RGW_PORT, LAB_MON_PORT and
 * LAB_OSD_PORT_MIN (so that several checkouts can test on one machine). Their names of 0.1.0
 * (the second column; the prefix BPO_ is now for the operator's settings only) are read when
 * the new ones are unset, for one more release.
 */
public enum LabPort {
  RGW("LAB_RGW_PORT", "BPO_TEST_RGW_PORT", 17480),
  MON("LAB_MON_PORT", "BPO_TEST_MON_PORT", 13300),
  OSD_MIN("LAB_OSD_PORT_MIN", "BPO_TEST_OSD_PORT_MIN", 16800);

  private final String variable;
  private final String oldVariable;
  private final int fallback;

  LabPort(String variable, String oldVariable, int fallback) {
    this.variable = variable;
    this.oldVariable = oldVariable;
    this.fallback = fallback;
  }

  /** From this process's environment. */
  public int get() {
    return from(System.getenv());
  }

  public int from(Map<String, String> env) {
    for (String name : new String[] {variable, oldVariable}) {
      String value = env.get(name);
      if (value != null && !value.isBlank()) {
        return Integer.parseInt(value.trim());
      }
    }
    return fallback;
  }
}
