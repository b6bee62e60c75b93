package io.jobcluster.persistence.journal;

import java.sql.SQLException;

/** A batch of journal rows could not be written; the journal fails the persists it carried. */
public final class JournalWriteException extends RuntimeException {
  JournalWriteException(SQLException cause) {
    super("writing a batch of journal rows failed: " + cause.getMessage(), cause);
  }
}
