package io.jobcluster.node.schedule;

import io.jobcluster.protocol.CborSerializable;
import io.jobcluster.protocol.ErrorCode;

/** A schedule entity's answer: the schedule after the command, or why the command was refused (nothing persisted). */
public sealed interface ScheduleReply extends CborSerializable {
  /** @param created the command created the schedule (a repeated create of the same definition answers false) */
  record Accepted(String id, ScheduleState schedule, boolean created) implements ScheduleReply {}

  record Rejected(ErrorCode error, String message) implements ScheduleReply {}
}
