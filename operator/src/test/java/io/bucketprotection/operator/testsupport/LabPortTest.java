package io.bucketprotection.operator.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LabPortTest {

  @Test
  void theNewNameWinsThenTheOldOneThenTheDefault() {
    assertEquals(30480, LabPort.RGW.from(Map.of("LAB_RGW_PORT", " 30480 ", "BPO_TEST_RGW_PORT", "1")));
    assertEquals(21300, LabPort.MON.from(Map.of("BPO_TEST_MON_PORT", "21300")), "LAB_MON_PORT's old name");
    assertEquals(21300, LabPort.MON.from(Map.of("LAB_MON_PORT", " ", "BPO_TEST_MON_PORT", "21300")));
    assertEquals(16800, LabPort.OSD_MIN.from(Map.of()));
    assertEquals(17480, LabPort.RGW.from(Map.of()));
    assertEquals(13300, LabPort.MON.from(Map.of()));
    assertEquals(30800, LabPort.OSD_MIN.from(Map.of("LAB_OSD_PORT_MIN", "30800")));
  }
}
