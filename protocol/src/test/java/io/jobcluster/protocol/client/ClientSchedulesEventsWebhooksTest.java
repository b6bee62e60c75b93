package io.jobcluster.protocol.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.JobStatus;
import io.jobcluster.protocol.wire.ScheduleJson;
import io.jobcluster.protocol.wire.ScheduleRequest;
import io.jobcluster.protocol.wire.ScheduleRun;
import io.jobcluster.protocol.wire.TransitionEvent;
import io.jobcluster.protocol.wire.WebhookAttempt;
import io.jobcluster.protocol.wire.WebhookDelivery;
import io.jobcluster.protocol.wire.WebhookSecret;
import io.jobcluster.protocol.wire.WebhookSettings;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client's schedule, event stream and webhook calls against a scripted local HTTP server: what it sends and how it reads answers. */
class ClientSchedulesEventsWebhooksTest {
  private static final String KEY = "jc_0123456789abcdef_secretsecretsecretsecretsecret";
  private static final String JOB = "7d0d3b8e-6a3c-4c55-9a39-1f6f1f3c2b10";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SCHEDULE = """
      {"id": "nightly report", "cron": "0 2 * * *", "intervalSeconds": null, "timeZone": "Europe/Berlin",
       "job": {"type": "noop"}, "misfire": "skip", "overlap": "queue_one", "paused": false,
       "startAt": "2026-01-01T00:00:00Z", "endAt": null, "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-01T00:00:00Z",
       "nextFireTimes": ["2026-12-04T01:00:00Z", "2026-12-05T01:00:00Z"],
       "lastRuns": [{"fireTime": "2026-12-03T01:00:00Z", "jobId": "%s", "status": "COMPLETED", "error": null}]}""".formatted(JOB);

  private FakeApi api;
  private JobclusterClient client;

  @BeforeEach
  void start() throws Exception {
    api = new FakeApi();
    client = api.client(KEY);
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void schedulesAreCreatedReadChangedPausedResumedAndDeletedUnderAnEscapedId() throws Exception {
    ScheduleRequest request = ScheduleRequest.cron("0 2 * * *", JobRequest.of("noop")).withId("nightly report")
        .withTimeZone("Europe/Berlin").withMisfire("skip").withOverlap("queue_one").withPaused(false)
        .withBounds(Instant.parse("2026-01-01T00:00:00Z"), null);
    api.answer(201, SCHEDULE);
    ScheduleJson created = client.createSchedule(request);
    assertEquals("POST /v1/schedules", api.last().method() + " " + api.last().pathAndQuery());
    assertEquals(json("""
        {"id": "nightly report", "cron": "0 2 * * *", "timeZone": "Europe/Berlin", "job": {"type": "noop"},
         "misfire": "skip", "overlap": "queue_one", "paused": false, "startAt": "2026-01-01T00:00:00Z"}"""),
        withoutNulls(json(api.last().body())));
    assertEquals(List.of(Instant.parse("2026-12-04T01:00:00Z"), Instant.parse("2026-12-05T01:00:00Z")), created.nextFireTimes());
    assertEquals(List.of(new ScheduleRun(Instant.parse("2026-12-03T01:00:00Z"), JOB, JobStatus.COMPLETED, null)), created.lastRuns());

    api.answer(200, "{\"items\": [" + SCHEDULE + "]}");
    assertEquals(List.of(created), client.schedules());
    assertEquals("GET /v1/schedules", api.last().method() + " " + api.last().pathAndQuery());

    api.answer(200, SCHEDULE);
    assertEquals(created, client.schedule("nightly report"));
    assertEquals("GET /v1/schedules/nightly+report", api.last().method() + " " + api.last().pathAndQuery().replace("%20", "+"));

    api.answer(200, SCHEDULE);
    client.changeSchedule("nightly report", ScheduleRequest.every(3600, JobRequest.of("noop")));
    assertEquals("PATCH", api.last().method());
    assertEquals(json("{\"intervalSeconds\": 3600, \"job\": {\"type\": \"noop\"}}"), withoutNulls(json(api.last().body())));

    api.answer(200, SCHEDULE);
    client.pauseSchedule("nightly report");
    assertTrue(api.last().pathAndQuery().endsWith("/pause"), api.last().pathAndQuery());
    api.answer(200, SCHEDULE);
    client.resumeSchedule("nightly report");
    assertTrue(api.last().pathAndQuery().endsWith("/resume"), api.last().pathAndQuery());

    api.answer(204, "");
    client.deleteSchedule("nightly report");
    assertEquals("DELETE", api.last().method());

    api.answer(404, "{\"error\": \"not_found\", \"message\": \"no schedule gone\"}");
    JobclusterApiException missing = assertThrows(JobclusterApiException.class, () -> client.schedule("gone"));
    assertEquals(404, missing.status());
  }

  @Test
  void anEventStreamReadsTransitionsSkipsHeartbeatsAndOtherEventsAndEndsWithTheServersStream() throws Exception {
    api.answer(200, """
        : heartbeat

        id: 1
        event: transition
        data: {"jobId": "%1$s", "from": null, "to": "PENDING", "at": "2026-12-03T10:00:00Z", "attempt": 0, "queue": "default", "type": "noop"}

        event: other
        data: {"ignored": true}

        id: 3
        data: {"jobId": "%1$s", "from": "PENDING",
        data:  "to": "RUNNING", "at": "2026-12-03T10:00:01Z", "attempt": 1, "queue": "default", "type": "noop"}

        """.formatted(JOB), "Content-Type", "text/event-stream");
    try (EventStream events = client.events(JOB, "0")) {
      assertEquals("GET /v1/jobs/" + JOB + "/events", api.last().method() + " " + api.last().pathAndQuery());
      assertEquals("0", api.last().header("Last-Event-ID"));
      assertEquals("text/event-stream", api.last().header("Accept"));
      assertEquals(Optional.of(new EventStream.Event("1", new TransitionEvent(JOB, null, JobStatus.PENDING,
          Instant.parse("2026-12-03T10:00:00Z"), 0, "default", "noop"))), events.next());
      assertEquals(Optional.of(new EventStream.Event("3", new TransitionEvent(JOB, JobStatus.PENDING, JobStatus.RUNNING,
          Instant.parse("2026-12-03T10:00:01Z"), 1, "default", "noop"))), events.next());
      assertEquals(Optional.empty(), events.next());
    }

    api.answer(200, "", "Content-Type", "text/event-stream");
    try (EventStream events = client.tenantEvents("media", "ocr", JobStatus.FAILED, null)) {
      assertEquals("/v1/events?queue=media&type=ocr&status=FAILED", api.last().pathAndQuery());
      assertNull(api.last().header("Last-Event-ID"));
      assertEquals(Optional.empty(), events.next());
    }

    api.answer(400, "{\"error\": \"invalid_request\", \"message\": \"Last-Event-ID is not a position\"}");
    JobclusterApiException refused = assertThrows(JobclusterApiException.class, () -> client.tenantEvents(null, null, null, "x"));
    assertEquals(400, refused.status());
    assertEquals("/v1/events", api.last().pathAndQuery());
  }

  @Test
  void aBrokenEventIsReportedNotSkipped() throws Exception {
    api.answer(200, "id: 1\nevent: transition\ndata: {not json\n\n", "Content-Type", "text/event-stream");
    try (EventStream events = client.events(JOB, null)) {
      assertThrows(java.io.UncheckedIOException.class, events::next);
    }
  }

  @Test
  void webhookSecretsSettingsAndDeliveriesAreAskedOfTheTenantsAdminPaths() throws Exception {
    api.answer(201, "{\"tenant\": \"acme corp\", \"secret\": \"whsec_abc\", \"createdAt\": \"2026-12-03T10:00:00Z\"}");
    assertEquals(new WebhookSecret("acme corp", "whsec_abc", Instant.parse("2026-12-03T10:00:00Z")), client.drawWebhookSecret("acme corp"));
    assertEquals("POST /v1/admin/tenants/acme+corp/webhook-secret", api.last().method() + " " + api.last().pathAndQuery().replace("%20", "+"));

    api.answer(200, "{\"tenant\": \"acme\", \"defaultUrl\": \"https://hooks.example/jobs\", \"secretCreatedAt\": null}");
    assertEquals(new WebhookSettings("acme", "https://hooks.example/jobs", null), client.setDefaultWebhook("acme", "https://hooks.example/jobs"));
    assertEquals(json("{\"url\": \"https://hooks.example/jobs\"}"), json(api.last().body()));

    api.answer(200, "{\"tenant\": \"acme\", \"defaultUrl\": null, \"secretCreatedAt\": \"2026-12-03T10:00:00Z\"}");
    assertEquals(new WebhookSettings("acme", null, Instant.parse("2026-12-03T10:00:00Z")), client.webhookSettings("acme"));
    assertEquals("GET /v1/admin/tenants/acme/webhook", api.last().method() + " " + api.last().pathAndQuery());

    api.answer(200, """
        {"items": [{"jobId": "%s", "seqNr": 4, "jobStatus": "COMPLETED", "url": "https://hooks.example/jobs", "state": "delivered",
          "attempts": 2, "nextAttemptAt": null, "createdAt": "2026-12-03T10:00:00Z", "updatedAt": "2026-12-03T10:00:02Z",
          "log": [{"attempt": 1, "at": "2026-12-03T10:00:00Z", "durationMs": 12, "httpStatus": 503, "error": "answered 503"},
                  {"attempt": 2, "at": "2026-12-03T10:00:02Z", "durationMs": 9, "httpStatus": 204, "error": null}]}]}""".formatted(JOB));
    List<WebhookDelivery> deliveries = client.webhookDeliveries(JOB);
    assertEquals("GET /v1/jobs/" + JOB + "/webhook-deliveries", api.last().method() + " " + api.last().pathAndQuery());
    assertEquals(1, deliveries.size());
    assertEquals("delivered", deliveries.get(0).state());
    assertEquals(List.of(new WebhookAttempt(1, Instant.parse("2026-12-03T10:00:00Z"), 12, 503, "answered 503"),
        new WebhookAttempt(2, Instant.parse("2026-12-03T10:00:02Z"), 9, 204, null)), deliveries.get(0).log());
  }

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  /** The object without its null fields: what a request leaves to the server's defaults may be written either way. */
  private static JsonNode withoutNulls(JsonNode node) {
    com.fasterxml.jackson.databind.node.ObjectNode copy = node.deepCopy();
    List<String> nulls = new java.util.ArrayList<>();
    copy.fields().forEachRemaining(field -> {
      if (field.getValue().isNull()) {
        nulls.add(field.getKey());
      }
    });
    copy.remove(nulls);
    return copy;
  }
}
