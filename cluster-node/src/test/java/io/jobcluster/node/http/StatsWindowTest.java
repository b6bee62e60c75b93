package io.jobcluster.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jobcluster.protocol.InvalidRequestException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StatsWindowTest {

  @Test
  void readsSecondsMinutesHoursAndDaysUpToSevenDaysAndDefaultsToAnHour() {
    assertEquals(new StatsWindow("90s", Duration.ofSeconds(90)), StatsWindow.parse("90s"));
    assertEquals(new StatsWindow("15m", Duration.ofMinutes(15)), StatsWindow.parse("15m"));
    assertEquals(new StatsWindow("24h", Duration.ofHours(24)), StatsWindow.parse("24h"));
    assertEquals(new StatsWindow("168h", Duration.ofDays(7)), StatsWindow.parse("168h"));
    assertEquals(new StatsWindow("7d", Duration.ofDays(7)), StatsWindow.parse("7d"));
    assertEquals(new StatsWindow("1h", Duration.ofHours(1)), StatsWindow.parse(null));
  }

  @Test
  void refusesAnythingElseNamingTheWindowField() {
    for (String bad : new String[] {"169h", "8d", "604801s", "0m", "01h", "1H", "1 h", "1h30m", "1.5h", "h", "9999999999d", ""}) {
      assertEquals("window", assertThrows(InvalidRequestException.class, () -> StatsWindow.parse(bad), bad).field());
    }
  }
}
