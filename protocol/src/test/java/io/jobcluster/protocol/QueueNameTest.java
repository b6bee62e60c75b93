package io.jobcluster.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class QueueNameTest {
  @ParameterizedTest
  @ValueSource(strings = {"default", "media-2", "etl_steps", "a"})
  void lowerCaseLettersDigitsUnderscoresAndDashesAreValid(String name) {
    assertTrue(QueueName.isValid(name));
    assertEquals(name, QueueName.require(name));
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"Media", "a b", "q/1", "ünï", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
  void anythingElseIsRefusedNamingTheQueueField(String name) {
    assertFalse(QueueName.isValid(name));
    InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> QueueName.require(name));
    assertEquals("queue", e.field());
    assertEquals("must match [a-z0-9_-]{1,64}", e.getMessage().substring(e.getMessage().indexOf("must")));
  }
}
