package io.jobcluster.node;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * How a node names itself in leases and worker ids: {@code host:port#uid}. The uid is the
 * incarnation of the actor system, so a node restarted on the same host and port is a different
 * node: leases its previous incarnation held are recognised as lost at once, not only when their
 * deadline passes.
 */
public final class NodeIdentity {
  private NodeIdentity() {}

  public static String of(Member member) {
    var address = member.address();
    return address.getHost().orElse("?") + ":" + address.getPort().orElse(0) + "#" + member.uniqueAddress().longUid();
  }

  /** This node's identity. */
  public static String self(ActorSystem<?> system) {
    return of(Cluster.get(system).selfMember());
  }
}
