package io.jobcluster.multijvm;

import java.util.Map;

/** The node's environment variables (see docs/CONFIGURATION.md), named once for the harness. */
public final class NodeEnv {
  public static final String PREFIX = "JOBCLUSTER_";
  public static final String HTTP_HOST = "JOBCLUSTER_HTTP_HOST";
  public static final String HTTP_PORT = "JOBCLUSTER_HTTP_PORT";
  public static final String HTTP_INSECURE = "JOBCLUSTER_HTTP_INSECURE";
  public static final String CLUSTER_HOST = "JOBCLUSTER_CLUSTER_HOST";
  public static final String CLUSTER_PORT = "JOBCLUSTER_CLUSTER_PORT";
  public static final String MANAGEMENT_HOST = "JOBCLUSTER_MANAGEMENT_HOST";
  public static final String MANAGEMENT_PORT = "JOBCLUSTER_MANAGEMENT_PORT";
  public static final String SEED_NODES = "JOBCLUSTER_SEED_NODES";
  public static final String DB_URL = "JOBCLUSTER_DB_URL";
  public static final String DB_USER = "JOBCLUSTER_DB_USER";
  public static final String DB_PASSWORD = "JOBCLUSTER_DB_PASSWORD";
  public static final String DATA_DIR = "JOBCLUSTER_DATA_DIR";
  public static final String ADMIN_KEY = "JOBCLUSTER_ADMIN_KEY";
  public static final String ROLES = "JOBCLUSTER_ROLES";
  public static final String WORKER_QUEUES = "JOBCLUSTER_WORKER_QUEUES";
  public static final String MAX_IN_FLIGHT = "JOBCLUSTER_MAX_IN_FLIGHT";
  public static final String TENANT_MAX_ACTIVE_JOBS = "JOBCLUSTER_TENANT_MAX_ACTIVE_JOBS";
  public static final String TENANT_SUBMIT_RATE = "JOBCLUSTER_TENANT_SUBMIT_RATE";
  public static final String TENANT_SUBMIT_BURST = "JOBCLUSTER_TENANT_SUBMIT_BURST";
  public static final String CLUSTER_TLS_KEY_STORE = "JOBCLUSTER_CLUSTER_TLS_KEY_STORE";
  public static final String CLUSTER_TLS_KEY_STORE_PASSWORD_FILE = "JOBCLUSTER_CLUSTER_TLS_KEY_STORE_PASSWORD_FILE";
  public static final String CLUSTER_TLS_TRUST_STORE = "JOBCLUSTER_CLUSTER_TLS_TRUST_STORE";
  public static final String CLUSTER_TLS_TRUST_STORE_PASSWORD_FILE = "JOBCLUSTER_CLUSTER_TLS_TRUST_STORE_PASSWORD_FILE";
  public static final String TENANT_REQUEST_RATE = "JOBCLUSTER_TENANT_REQUEST_RATE";
  public static final String TENANT_REQUEST_BURST = "JOBCLUSTER_TENANT_REQUEST_BURST";
  public static final String HTTP_ALLOWED_HOSTS = "JOBCLUSTER_HTTP_ALLOWED_HOSTS";
  public static final String HTTP_MAX_CALLS_PER_HOST = "JOBCLUSTER_HTTP_MAX_CALLS_PER_HOST";
  public static final String HTTP_BREAKER_MAX_FAILURES = "JOBCLUSTER_HTTP_BREAKER_MAX_FAILURES";
  public static final String TENANT_MAX_RUNNING_JOBS = "JOBCLUSTER_TENANT_MAX_RUNNING_JOBS";

  private NodeEnv() {}

  /** Points a node at an external (PostgreSQL) database instead of its embedded H2. */
  public static Map<String, String> database(String url, String user, String password) {
    return Map.of(DB_URL, url, DB_USER, user, DB_PASSWORD, password);
  }
}
