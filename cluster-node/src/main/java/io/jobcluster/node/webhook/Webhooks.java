package io.jobcluster.node.webhook;

import com.typesafe.config.Config;
import io.jobcluster.node.JobService;
import io.jobcluster.protocol.wire.WebhookDelivery;
import io.jobcluster.protocol.wire.WebhookSecret;
import io.jobcluster.protocol.wire.WebhookSettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Completion webhooks on this node: its share of the projection that turns finishing events into
 * deliveries ({@link WebhookProjection}), its deliverer ({@link WebhookDeliverer}), and what the API
 * asks of them.
 */
public final class Webhooks {
  private final WebhookStore store;
  private final WebhookTarget target;
  private final Clock clock;

  private Webhooks(WebhookStore store, WebhookTarget target, Clock clock) {
    this.store = store;
    this.target = target;
    this.clock = clock;
  }

  /**
   * Starts webhooks on this node.
   *
   * @param config {@code jobcluster.webhooks}
   * @param target the address rules of outbound calls
   */
  public static Webhooks start(ActorSystem<?> system, DataSource dataSource, Executor blocking, JobService jobs, WebhookTarget target,
      Config config, MeterRegistry meters) {
    Clock clock = Clock.systemUTC();
    WebhookStore store = new WebhookStore(dataSource, blocking);
    WebhookProjection.init(system, dataSource, clock);
    new WebhookDeliverer(system, store, jobs, target, WebhookDeliverer.Settings.fromConfig(config), clock, blocking, meters).start();
    return new Webhooks(store, target, clock);
  }

  /** The address rules webhook URLs are checked against. */
  public WebhookTarget target() {
    return target;
  }

  public CompletionStage<WebhookSecret> drawSecret(String tenant) {
    // The database keeps microseconds: the answer shows the time as every later read shows it.
    return store.drawSecret(tenant, clock.instant().truncatedTo(ChronoUnit.MICROS));
  }

  public CompletionStage<WebhookSettings> setDefaultUrl(String tenant, String url) {
    return store.setDefaultUrl(tenant, url);
  }

  public CompletionStage<WebhookSettings> settings(String tenant) {
    return store.settings(tenant);
  }

  public CompletionStage<List<WebhookDelivery>> deliveries(String jobId) {
    return store.deliveries(jobId);
  }
}
