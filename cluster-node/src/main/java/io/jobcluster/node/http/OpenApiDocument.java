package io.jobcluster.node.http;

import static org.apache.pekko.http.javadsl.server.Directives.complete;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The OpenAPI 3 description of the HTTP interface, kept in the repository as
 * {@code cluster-node/src/main/resources/openapi.json} and served at {@code GET /v1/openapi.json}.
 * A test holds it and the node's endpoint list to each other.
 */
public final class OpenApiDocument {
  public static final String RESOURCE = "/openapi.json";
  private static final byte[] DOCUMENT = load();

  private OpenApiDocument() {}

  /** The document's bytes as kept in the repository. */
  public static byte[] bytes() {
    return DOCUMENT.clone();
  }

  static Route route() {
    return complete(HttpResponse.create().withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, DOCUMENT)));
  }

  private static byte[] load() {
    try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the OpenAPI document " + RESOURCE + " is missing from the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
