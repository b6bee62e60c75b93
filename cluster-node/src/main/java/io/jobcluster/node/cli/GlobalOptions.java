package io.jobcluster.node.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Options every subcommand takes, before or after its name; unset ones fall back as {@link CliSettings} says. */
final class GlobalOptions {
  @Option(names = "--url", scope = ScopeType.INHERIT, paramLabel = "URL",
      description = "The node or load balancer (env JOBCLUSTER_URL, config url; default http://127.0.0.1:8080).")
  String url;

  @Option(names = "--api-key", scope = ScopeType.INHERIT, arity = "0..1", interactive = true, prompt = "API key: ", paramLabel = "KEY",
      description = "The API key; without a value it is asked for without echo. A value here shows in process listings: "
          + "prefer --api-key-file or JOBCLUSTER_API_KEY.")
  String apiKey;

  @Option(names = "--api-key-file", scope = ScopeType.INHERIT, paramLabel = "FILE",
      description = "A file holding the API key (env JOBCLUSTER_API_KEY_FILE, config api-key-file).")
  String apiKeyFile;

  @Option(names = "--ca-cert", scope = ScopeType.INHERIT, paramLabel = "FILE",
      description = "Trust the CA certificate(s) in this PEM or DER file for https (env JOBCLUSTER_CA_CERT, config ca-cert).")
  String caCert;

  @Option(names = "--trust-store", scope = ScopeType.INHERIT, paramLabel = "FILE",
      description = "Trust the certificates of this PKCS12 or JKS store for https (env JOBCLUSTER_TRUST_STORE, config trust-store).")
  String trustStore;

  @Option(names = "--trust-store-password-file", scope = ScopeType.INHERIT, paramLabel = "FILE",
      description = "The trust store's password (env JOBCLUSTER_TRUST_STORE_PASSWORD_FILE, config trust-store-password-file).")
  String trustStorePasswordFile;

  @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE",
      description = "The configuration file (env JOBCLUSTER_CLI_CONFIG; default ~/.config/jobcluster/cli.properties).")
  String config;

  @Option(names = "--request-timeout", scope = ScopeType.INHERIT, paramLabel = "SECONDS", defaultValue = "30",
      description = "How long to wait for each answer (default ${DEFAULT-VALUE}).")
  long requestTimeoutSeconds;

  @Option(names = "--json", scope = ScopeType.INHERIT,
      description = "Print JSON (the API's shapes, see docs/CLI.md) instead of tables.")
  boolean json;
}
