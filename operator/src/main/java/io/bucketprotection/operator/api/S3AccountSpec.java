package io.bucketprotection.operator.api;

import io.fabric8.generator.annotation.ValidationRule;

/**
 * A namespace's own account: its Secrets live in its namespace and only its namespace's
 * BucketProtections may use it. Secrets Manager and the operator's identity are an admin's to
 * lend, through a ClusterS3Account.
 */
@ValidationRule(value = "!has(self.credentials) || !has(self.credentials.secretsManager)",
    message = "an S3Account reads its keys from a Secret in its namespace (secretRef); Secrets Manager needs a ClusterS3Account")
@ValidationRule(value = "!has(self.credentials) || !has(self.credentials.operatorIdentity)",
    message = "an S3Account cannot use the operator's identity; that needs a ClusterS3Account")
@ValidationRule(value = "!has(self.observer) || (!has(self.observer.operatorIdentity) && !has(self.observer.assumeRole))",
    message = "an S3Account's observer reads its keys from a Secret in its namespace (secretRef); the operator's identity and its roles need a ClusterS3Account")
@ValidationRule(value = "!has(self.mfa) || !has(self.mfa.totpSeed) || !has(self.mfa.totpSeed.secretsManager)",
    message = "an S3Account reads its seed from a Secret in its namespace (secretKeyRef); Secrets Manager needs a ClusterS3Account")
@ValidationRule(value = "!has(self.mfa) || !has(self.mfaDevices)",
    message = "spec.mfa and spec.mfaDevices both name MFA devices: keep one (spec.mfa is the one-device form)")
@ValidationRule(value = "!has(self.mfaDevices) || self.mfaDevices.all(d, !has(d.totpSeed) || !has(d.totpSeed.secretsManager))",
    message = "an S3Account reads its seeds from Secrets in its namespace (secretKeyRef); Secrets Manager needs a ClusterS3Account")
public class S3AccountSpec extends AccountSpec {
}
