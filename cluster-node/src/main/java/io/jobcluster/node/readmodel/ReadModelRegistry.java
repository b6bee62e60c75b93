package io.jobcluster.node.readmodel;

import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/** Holds the one read model of an actor system, so any part of the node finds it by the system. */
final class ReadModelRegistry implements Extension {
  static final ExtensionId<ReadModelRegistry> ID = new ExtensionId<>() {
    @Override
    public ReadModelRegistry createExtension(ActorSystem<?> system) {
      return new ReadModelRegistry();
    }
  };

  private ReadModel readModel;

  synchronized ReadModel startOnce(Supplier<ReadModel> start) {
    if (readModel == null) {
      readModel = start.get();
    }
    return readModel;
  }

  synchronized ReadModel started() {
    if (readModel == null) {
      throw new IllegalStateException("the read model was not started on this actor system: call ReadModel.init first");
    }
    return readModel;
  }
}
