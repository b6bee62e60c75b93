package io.jobcluster.protocol;

/**
 * Marker for every message, event and snapshot that crosses a node or reaches the journal; the
 * node binds it to Pekko's Jackson CBOR serializer.
 */
public interface CborSerializable {}
