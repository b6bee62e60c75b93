package io.jobcluster.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the settings come from: flag, then environment, then configuration file, then default (docs/CLI.md). */
class CliSettingsTest {
  @TempDir
  Path home;

  private final Map<String, String> env = new HashMap<>();
  private final GlobalOptions flags = new GlobalOptions();

  private CliSettings resolve() {
    flags.requestTimeoutSeconds = 30;
    return CliSettings.resolve(flags, new CliEnvironment(env, home, false, new ByteArrayInputStream(new byte[0])));
  }

  private Path write(String name, String text, String permissions) throws Exception {
    Path file = home.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
    return file;
  }

  @Test
  void theUrlComesFromTheFlagThenTheEnvironmentThenTheFileThenTheDefault() throws Exception {
    assertEquals(CliSettings.DEFAULT_URL, resolve().url());
    write(".config/jobcluster/cli.properties", "url = http://from-file:1\n", "rw-r--r--");
    assertEquals(URI.create("http://from-file:1"), resolve().url(), "the default file: ~/.config/jobcluster/cli.properties");
    env.put(CliSettings.ENV_URL, "https://from-env:2");
    assertEquals(URI.create("https://from-env:2"), resolve().url());
    flags.url = "http://from-flag:3";
    assertEquals(URI.create("http://from-flag:3"), resolve().url());
  }

  @Test
  void theKeyComesFromTheFirstSourceThatHasOneAndIsNeverShown() throws Exception {
    assertNull(resolve().apiKey());
    assertThrows(ExitCodes.MissingKeyException.class, () -> resolve().client());
    Path keyFile = write("keys/from-config", "key-from-config-file\n", "rw-------");
    write("cli.properties", "api-key-file = " + keyFile + "\n", "rw-r--r--");
    env.put(CliSettings.ENV_CONFIG, home.resolve("cli.properties").toString());
    assertEquals("key-from-config-file", resolve().apiKey(), "a trailing newline is not part of the key");
    write("cli.properties", "api-key-file = " + keyFile + "\napi-key = key-in-config\n", "rw-------");
    assertEquals("key-in-config", resolve().apiKey(), "the key itself before a key file, at the same level");
    env.put(CliSettings.ENV_API_KEY_FILE, write("keys/from-env-file", "key-from-env-file", "rw-------").toString());
    assertEquals("key-from-env-file", resolve().apiKey());
    env.put(CliSettings.ENV_API_KEY, "key-from-env");
    assertEquals("key-from-env", resolve().apiKey());
    flags.apiKeyFile = write("keys/from-flag-file", "key-from-flag-file", "rw-------").toString();
    assertEquals("key-from-flag-file", resolve().apiKey());
    flags.apiKey = "key-from-flag";
    CliSettings settings = resolve();
    assertEquals("key-from-flag", settings.apiKey());
    assertFalse(settings.toString().contains("key-from-flag"), settings.toString());
    assertTrue(settings.toString().contains("key from --api-key"), settings.toString());
    assertNotNull(settings.client());
  }

  @Test
  void aConfigurationFileNamedExplicitlyMustExistAndMustNotShowAKeyToOthers() throws Exception {
    flags.config = home.resolve("nope.properties").toString();
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, this::resolve);
    assertTrue(missing.getMessage().contains("cannot read the configuration file " + flags.config), missing.getMessage());

    flags.config = write("shared.properties", "api-key = secret-in-a-shared-file\n", "rw-r--r--").toString();
    IllegalArgumentException shared = assertThrows(IllegalArgumentException.class, this::resolve);
    assertTrue(shared.getMessage().contains("chmod 600"), shared.getMessage());
    assertFalse(shared.getMessage().contains("secret-in-a-shared-file"));

    env.put("XDG_CONFIG_HOME", home.resolve("xdg").toString());
    flags.config = null;
    write("xdg/jobcluster/cli.properties", "url = http://xdg:4\n", "rw-r--r--");
    assertEquals(URI.create("http://xdg:4"), resolve().url());
  }

  @Test
  void anEmptyOrMissingKeyFileIsAClearError() throws Exception {
    flags.apiKeyFile = write("empty", "\n", "rw-------").toString();
    assertTrue(assertThrows(IllegalArgumentException.class, this::resolve).getMessage().contains("is empty"));
    flags.apiKeyFile = home.resolve("absent").toString();
    String message = assertThrows(IllegalArgumentException.class, this::resolve).getMessage();
    assertTrue(message.contains("cannot read the API key file " + flags.apiKeyFile + " (--api-key-file)"), message);
  }

  @Test
  void trustMaterialThatIsNotACertificateIsRefused() throws Exception {
    flags.caCert = write("ca.crt", "not a certificate", "rw-r--r--").toString();
    flags.apiKey = "k";
    String message = assertThrows(IllegalArgumentException.class, () -> resolve().client()).getMessage();
    assertTrue(message.startsWith("cannot use the trust material (" + flags.caCert + ")"), message);
  }

  @Test
  void theToolsEnvironmentVariablesAreNoNodeSettings() throws Exception {
    String nodeConfig = Files.readString(Path.of("src/main/resources/application.conf"));
    for (String name : List.of(CliSettings.ENV_URL, CliSettings.ENV_API_KEY, CliSettings.ENV_API_KEY_FILE, CliSettings.ENV_CA_CERT,
        CliSettings.ENV_TRUST_STORE, CliSettings.ENV_TRUST_STORE_PASSWORD_FILE, CliSettings.ENV_CONFIG)) {
      assertFalse(nodeConfig.contains("${?" + name + "}"), name + " is a node setting too");
    }
  }
}
