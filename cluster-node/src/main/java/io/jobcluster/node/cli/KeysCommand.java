package io.jobcluster.node.cli;

import io.jobcluster.protocol.client.JobclusterClient;
import io.jobcluster.protocol.wire.IssuedKey;
import io.jobcluster.protocol.wire.Items;
import io.jobcluster.protocol.wire.KeyInfo;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jobcluster keys create|list|revoke}: tenant API keys, with a key that has the {@code admin} scope. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Issue, list and revoke tenant API keys (needs an admin key).",
    subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
final class KeysCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "name a subcommand: create, list or revoke");
  }

  /** What {@code keys revoke --json} prints: the API answers 204 without a body. */
  record Revoked(String keyId, boolean revoked) {}

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Issue a key; the answer is the only time its secret is shown.")
  static final class Create extends ApiCommand {
    @Option(names = "--tenant", description = "The tenant (the operator's key: required; a tenant's admin key: its own).")
    String tenant;

    @Option(names = "--scope", required = true, split = ",", paramLabel = "SCOPE",
        description = "submit, read, work, admin (repeatable or comma-separated).")
    List<String> scopes;

    @Option(names = "--description", description = "What the key is for.")
    String description;

    @Override
    int call(JobclusterClient client, Output output) {
      IssuedKey issued = client.issueKey(tenant, scopes, description);
      if (output.json()) {
        output.printJson(issued);
        return ExitCodes.OK;
      }
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("key id", issued.keyId());
      fields.put("tenant", issued.tenant());
      fields.put("scopes", Formats.list(issued.scopes()));
      fields.put("created", Formats.time(issued.createdAt()));
      fields.put("key", issued.key());
      output.printFields(fields);
      output.note("The key is shown this once: keep it now (only its hash is stored).");
      return ExitCodes.OK;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "A tenant's keys, revoked ones included; never their secrets.")
  static final class ListKeys extends ApiCommand {
    @Option(names = "--tenant", description = "The tenant (the operator's key: required; a tenant's admin key: its own).")
    String tenant;

    @Override
    int call(JobclusterClient client, Output output) {
      List<KeyInfo> keys = tenant == null ? client.listKeys() : client.listKeys(tenant);
      if (output.json()) {
        output.printJson(new Items<>(keys));
        return ExitCodes.OK;
      }
      output.printTable(List.of("KEY ID", "TENANT", "SCOPES", "CREATED", "REVOKED", "DESCRIPTION"), keys.stream()
          .map(key -> Arrays.asList(key.keyId(), key.tenant(), Formats.list(key.scopes()), Formats.time(key.createdAt()),
              Formats.time(key.revokedAt()), key.description()))
          .toList());
      return ExitCodes.OK;
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a key: every node refuses it within a second.")
  static final class Revoke extends ApiCommand {
    @Parameters(index = "0", paramLabel = "KEY_ID", description = "The key's id (keys list shows it).")
    String keyId;

    @Override
    int call(JobclusterClient client, Output output) {
      client.revokeKey(keyId);
      output.print(new Revoked(keyId, true), () -> output.println("Revoked " + keyId));
      return ExitCodes.OK;
    }
  }
}
