package io.jobcluster.node.dispatch;

import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToIntFunction;

/**
 * The dispatcher's waiting jobs, at most once each, handed out fairly between tenants. Each tenant
 * has its own jobs in {@link ReadyJob#DISPATCH_ORDER} (priority, then waiting time); the next job
 * goes to the tenant that holds the fewest of the queue's slots right now (ties: the one served
 * longest ago), so a tenant's flood, of whatever priority, takes turns with everyone else's jobs.
 * A tenant that runs its maximum ({@code maxRunning}) gets nothing until one of its jobs ends.
 * Every operation is O(log n) in the jobs and tenants waiting. Owned by one actor.
 *
 * <p>A pool may take only some job types: each tenant's jobs are also kept per type, so such a pool
 * gets the best job of the types it takes in O(t log n) (t: the fewer of its types and the tenant's
 * waiting types), and a job no pool takes does not hold up the jobs behind it.
 *
 * <p>A job counts as running from {@link #pollFirst} until the dispatcher calls {@link #released}
 * (its lease was refused, handed back or ended).
 */
final class ReadySet {
  /** One tenant's jobs and its share. Its place in {@link #eligible} depends on running and served: change them only outside it. */
  private static final class Tenant {
    final String name;
    final TreeSet<ReadyJob> ready = new TreeSet<>(ReadyJob.DISPATCH_ORDER);
    /** The same jobs by type. */
    final Map<String, TreeSet<ReadyJob>> byType = new HashMap<>();
    int running;
    long served;

    Tenant(String name) {
      this.name = name;
    }
  }

  private static final Comparator<Tenant> FAIR_ORDER = Comparator.<Tenant>comparingInt(t -> t.running)
      .thenComparingLong(t -> t.served)
      .thenComparing(t -> t.name);

  private final ToIntFunction<String> maxRunning;
  private final Map<String, ReadyJob> byId = new HashMap<>();
  /** How many jobs of each type wait. */
  private final Map<String, Integer> waitingByType = new TreeMap<>();
  /** Tenants with jobs waiting or running. */
  private final Map<String, Tenant> tenants = new HashMap<>();
  /** Tenants with jobs waiting and below their maximum of running jobs, the next to serve first. */
  private final TreeSet<Tenant> eligible = new TreeSet<>(FAIR_ORDER);
  private long turns;

  /** @param maxRunning the most jobs a tenant may run at once on this queue */
  ReadySet(ToIntFunction<String> maxRunning) {
    this.maxRunning = maxRunning;
  }

  /** Adds the job unless it is already waiting; answers whether it was added. */
  boolean add(ReadyJob job) {
    if (byId.containsKey(job.jobId())) {
      return false;
    }
    byId.put(job.jobId(), job);
    Tenant tenant = tenants.computeIfAbsent(job.tenant(), Tenant::new);
    eligible.remove(tenant);
    tenant.ready.add(job);
    tenant.byType.computeIfAbsent(job.type(), type -> new TreeSet<>(ReadyJob.DISPATCH_ORDER)).add(job);
    waitingByType.merge(job.type(), 1, Integer::sum);
    place(tenant);
    return true;
  }

  boolean contains(String jobId) {
    return byId.containsKey(jobId);
  }

  /** {@link #pollFirst(String, Set)} for a pool that takes every job type. */
  ReadyJob pollFirst(String onlyTenant) {
    return pollFirst(onlyTenant, null);
  }

  /**
   * Takes the next job for a pool that serves {@code onlyTenant} (null: every tenant) and takes the
   * job types {@code types} (null: every type): the best such job of the tenant whose turn it is
   * among those that have one, or of {@code onlyTenant} if it may run one more. The job counts as
   * running for its tenant from now on.
   */
  ReadyJob pollFirst(String onlyTenant, Set<String> types) {
    Tenant tenant = null;
    ReadyJob job = null;
    if (onlyTenant != null) {
      tenant = tenants.get(onlyTenant);
      job = tenant == null || !eligible.contains(tenant) ? null : best(tenant, types);
    } else {
      for (var it = eligible.iterator(); job == null && it.hasNext(); ) {
        tenant = it.next();
        job = best(tenant, types);
      }
    }
    if (job == null) {
      return null;
    }
    eligible.remove(tenant);
    tenant.ready.remove(job);
    TreeSet<ReadyJob> ofType = tenant.byType.get(job.type());
    ofType.remove(job);
    if (ofType.isEmpty()) {
      tenant.byType.remove(job.type());
    }
    waitingByType.computeIfPresent(job.type(), (type, count) -> count == 1 ? null : count - 1);
    byId.remove(job.jobId());
    tenant.running++;
    tenant.served = ++turns;
    place(tenant);
    return job;
  }

  /** The tenant's best waiting job of one of {@code types} (null: any), or null. */
  private static ReadyJob best(Tenant tenant, Set<String> types) {
    if (types == null) {
      return tenant.ready.isEmpty() ? null : tenant.ready.first();
    }
    ReadyJob best = null;
    Collection<String> candidates = types.size() <= tenant.byType.size() ? types : tenant.byType.keySet();
    for (String type : candidates) {
      TreeSet<ReadyJob> ofType = tenant.byType.get(type);
      if (ofType != null && types.contains(type) && (best == null || ReadyJob.DISPATCH_ORDER.compare(ofType.first(), best) < 0)) {
        best = ofType.first();
      }
    }
    return best;
  }

  /** A job {@link #pollFirst} gave out no longer runs (its lease was refused, handed back or ended); null: a lease of unknown tenant. */
  void released(String tenantName) {
    Tenant tenant = tenantName == null ? null : tenants.get(tenantName);
    if (tenant == null || tenant.running == 0) {
      return;
    }
    eligible.remove(tenant);
    tenant.running--;
    place(tenant);
  }

  /** A job of {@code tenant} that this set did not give out runs (a restarted dispatcher learned of it): count it. */
  void adopted(String tenantName) {
    Tenant tenant = tenants.computeIfAbsent(tenantName, Tenant::new);
    eligible.remove(tenant);
    tenant.running++;
    place(tenant);
  }

  /** How many jobs {@code tenant} runs on this queue as far as this set knows. */
  int running(String tenant) {
    Tenant known = tenants.get(tenant);
    return known == null ? 0 : known.running;
  }

  /** How many jobs of each type wait, by type. */
  Map<String, Integer> waitingByType() {
    return waitingByType;
  }

  boolean isEmpty() {
    return byId.isEmpty();
  }

  int size() {
    return byId.size();
  }

  /** Puts a tenant (not in {@link #eligible}) where it belongs now, or forgets it when it has nothing waiting or running. */
  private void place(Tenant tenant) {
    if (tenant.ready.isEmpty() && tenant.running == 0) {
      tenants.remove(tenant.name);
    } else if (!tenant.ready.isEmpty() && tenant.running < maxRunning.applyAsInt(tenant.name)) {
      eligible.add(tenant);
    }
  }
}
