package io.jobcluster.node.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.protocol.ErrorCode;
import io.jobcluster.protocol.InvalidRequestException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScopeAndPrincipalTest {
  @Test
  void scopesHaveLowerCaseWireNames() {
    assertEquals(List.of("submit", "read", "work", "admin"), EnumSet.allOf(Scope.class).stream().map(Scope::wireName).toList());
    for (Scope scope : Scope.values()) {
      assertEquals(scope, Scope.fromWire(scope.wireName()));
    }
  }

  @Test
  void unknownScopeNamesTheScopesField() {
    assertEquals("scopes", assertThrows(InvalidRequestException.class, () -> Scope.fromWire("SUBMIT")).field());
    assertEquals("scopes", assertThrows(InvalidRequestException.class, () -> Scope.fromWire("delete")).field());
  }

  @Test
  void scopesRoundTripThroughTheColumn() {
    assertEquals("submit,work", Scope.toColumn(Set.of(Scope.WORK, Scope.SUBMIT)));
    assertEquals(Set.of(Scope.WORK, Scope.SUBMIT), Scope.fromColumn("submit, work,"));
  }

  @Test
  void principalAnswersWhetherAScopeIsHeld() {
    Principal worker = new Principal("acme", "0123456789abcdef", EnumSet.of(Scope.WORK));
    assertTrue(worker.require(Scope.WORK));
    assertFalse(worker.require(Scope.SUBMIT));
    assertFalse(worker.isOperator());
    assertTrue(Principal.operator().isOperator());
    assertTrue(EnumSet.allOf(Scope.class).stream().allMatch(Principal.operator()::require));
  }

  @Test
  void aTenantKeySeesItsOwnTenantWhateverItsScopesAndOnlyTheOperatorSeesEvery() {
    assertEquals("acme", new Principal("acme", "0123456789abcdef", EnumSet.of(Scope.SUBMIT, Scope.READ, Scope.WORK)).visibleTenant());
    assertNull(Principal.operator().visibleTenant());
    Principal tenantAdmin = new Principal("acme", "0123456789abcdef", EnumSet.allOf(Scope.class));
    assertFalse(tenantAdmin.isOperator());
    assertEquals("acme", tenantAdmin.visibleTenant(), "a tenant's admin-scope key sees its own tenant only");
    assertFalse(new Principal(Principal.ADMIN_TENANT, "0123456789abcdef", EnumSet.allOf(Scope.class)).isOperator(),
        "only the provisioned key is the operator");
  }

  @Test
  void aTenantAdministratorManagesItsOwnTenantsKeysAndTheOperatorEveryTenants() {
    Principal tenantAdmin = new Principal("acme", "0123456789abcdef", EnumSet.of(Scope.ADMIN));
    assertTrue(tenantAdmin.managesKeysOf("acme"));
    assertFalse(tenantAdmin.managesKeysOf("globex"));
    assertFalse(tenantAdmin.managesKeysOf(Principal.ADMIN_TENANT));
    assertFalse(new Principal("acme", "0123456789abcdef", EnumSet.of(Scope.SUBMIT, Scope.READ, Scope.WORK)).managesKeysOf("acme"));
    assertTrue(Principal.operator().managesKeysOf("acme"));
    assertTrue(Principal.operator().managesKeysOf("globex"));
  }

  @Test
  void deniedIsUnauthorizedAndIssuedKeyMasksThePlaintext() {
    assertEquals(ErrorCode.UNAUTHORIZED, AuthResult.Denied.unauthorized("no").code());
    IssuedApiKey key = new IssuedApiKey("0123456789abcdef", "acme", Set.of(Scope.READ), "jc_0123456789abcdef_secret", Instant.EPOCH);
    assertFalse(key.toString().contains("secret"));
    assertTrue(key.toString().contains("0123456789abcdef"));
  }
}
