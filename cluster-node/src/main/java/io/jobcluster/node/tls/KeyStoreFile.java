package io.jobcluster.node.tls;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Optional;

/**
 * A key store or trust store on disk (PKCS12) with its password in a file of its own, so that no
 * password is ever on a command line, in the environment or in a configuration file. Errors name
 * the setting and the path, never a password.
 *
 * @param setting the HOCON key that named the store, for error messages
 * @param keyPasswordFile the private key's password; null when it is the store's (always so in PKCS12 made by keytool)
 */
public record KeyStoreFile(String setting, Path store, Path passwordFile, Path keyPasswordFile) {
  /**
   * The store {@code name} of a {@code tls} block: {@code <name>} (the path; empty means none),
   * {@code <name>-password-file} and, where {@code withKeyPassword}, {@code key-password-file}
   * (empty means the store's password).
   *
   * @param path the block's own path, for error messages
   */
  public static Optional<KeyStoreFile> fromConfig(Config tls, String path, String name, boolean withKeyPassword) {
    String store = tls.getString(name);
    if (store.isBlank()) {
      return Optional.empty();
    }
    String passwordFile = tls.getString(name + "-password-file");
    if (passwordFile.isBlank()) {
      throw new IllegalArgumentException(path + "." + name + "-password-file is required with " + path + "." + name);
    }
    String keyPasswordFile = withKeyPassword ? tls.getString("key-password-file") : "";
    return Optional.of(new KeyStoreFile(path + "." + name, Path.of(store), Path.of(passwordFile),
        keyPasswordFile.isBlank() ? null : Path.of(keyPasswordFile)).validate());
  }

  /** The store's password: the password file's content without its trailing line break. */
  public char[] password() {
    return readSecret(passwordFile, setting + "-password-file");
  }

  /** The private key's password: its own file's, else the store's. */
  public char[] keyPassword() {
    return keyPasswordFile == null ? password() : readSecret(keyPasswordFile, "key-password-file");
  }

  /** The store loaded as PKCS12 (the JDK's default type also reads JKS). */
  public KeyStore load() {
    requireReadable(store, setting);
    try (InputStream in = Files.newInputStream(store)) {
      KeyStore keyStore = KeyStore.getInstance(KeyStore.getDefaultType());
      keyStore.load(in, password());
      return keyStore;
    } catch (IOException | GeneralSecurityException e) {
      // The JDK's message says "keystore password was incorrect" or names the format; never the password.
      throw new IllegalArgumentException(setting + ": cannot read " + store + ": " + e.getMessage(), e);
    }
  }

  /** Checks both files can be read; called at start, so a node with a wrong path refuses to start. */
  public KeyStoreFile validate() {
    requireReadable(store, setting);
    requireReadable(passwordFile, setting + "-password-file");
    if (keyPasswordFile != null) {
      requireReadable(keyPasswordFile, "key-password-file");
    }
    return this;
  }

  private static char[] readSecret(Path file, String setting) {
    requireReadable(file, setting);
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      return text.stripTrailing().toCharArray();
    } catch (IOException e) {
      throw new IllegalArgumentException(setting + ": cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static void requireReadable(Path file, String setting) {
    if (file == null) {
      throw new IllegalArgumentException(setting + " is required");
    }
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new IllegalArgumentException(setting + ": no readable file at " + file);
    }
  }
}
