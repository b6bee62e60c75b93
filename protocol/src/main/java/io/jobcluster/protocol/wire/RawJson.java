package io.jobcluster.protocol.wire;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import java.io.IOException;

/**
 * Reads any JSON value into its JSON text, for fields that hold JSON text inside the system and a
 * JSON value on the wire (a job's payload). Paired with {@code @JsonRawValue} for writing.
 */
public final class RawJson extends JsonDeserializer<String> {
  @Override
  public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
    return JsonText.text(context.readTree(parser));
  }
}
