package io.bucketprotection.operator.s3;

import java.net.URI;
import java.util.Objects;

/**
 * Who signs a request. Root signs only what S3 demands of root (a request that carries an MFA
 * code); an account's observer signs everything else. Root keys travel with one request and are
 * never kept: no client, map or field holds them after the call returns.
 */
public sealed interface Signer {

  /** Whose power a request uses: counted apart (bpo_root_requests_total), audited as signedBy. */
  enum Role {
    ROOT("root"), OBSERVER("observer");

    private final String label;

    Role(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  Role role();

  /**
   * The account the identity belongs to, for messages and metrics ("ClusterS3Account team",
   * "inline credentials of namespace ns").
   */
  String account();

  /** "the root keys of ClusterS3Account team", for messages: never a key. */
  String describe();

  default boolean root() {
    return role() == Role.ROOT;
  }

  /**
   * Static access keys: an account's root keys, or an observer's keys from a Secret.
   *
   * @param from where the keys were read ("Secret ns/name"), for messages; never a key or key id
   */
  record Keys(S3Credentials credentials, Role role, String account, String from) implements Signer {
    public Keys {
      Objects.requireNonNull(credentials, "credentials");
    }

    public Keys(S3Credentials credentials, Role role, String account) {
      this(credentials, role, account, null);
    }

    @Override
    public String describe() {
      return (role == Role.ROOT ? "the root keys of " : "the observer keys of ") + account
          + (from == null ? "" : " (" + from + ")");
    }
  }

  /** The operator's own default AWS credential chain (IRSA, Pod Identity, environment): an observer. */
  record OperatorChain(String account) implements Signer {
    @Override
    public Role role() {
      return Role.OBSERVER;
    }

    @Override
    public String describe() {
      return "the operator's own AWS identity (observer of " + account + ")";
    }
  }

  /**
   * A role the operator assumes with its own identity: an observer.
   *
   * @param externalId null when the role's trust policy asks for none
   * @param stsEndpoint where AssumeRole goes: the account's S3 endpoint when that is not AWS,
   *     null for AWS's regional STS (AWS_ENDPOINT_URL_STS honoured)
   * @param stsRegion the region the session is asked in
   */
  record AssumedRole(String roleArn, String externalId, URI stsEndpoint, String stsRegion, String account)
      implements Signer {
    @Override
    public Role role() {
      return Role.OBSERVER;
    }

    @Override
    public String describe() {
      return "the observer role " + roleArn + " of " + account;
    }

    @Override
    public String toString() {
      return "AssumedRole[roleArn=" + roleArn + ", externalId=" + (externalId == null ? "none" : "<set>")
          + ", stsEndpoint=" + stsEndpoint + ", account=" + account + "]";
    }
  }
}
