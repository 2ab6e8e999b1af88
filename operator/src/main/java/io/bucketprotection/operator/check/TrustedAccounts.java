package io.bucketprotection.operator.check;

import java.util.List;

/**
 * Which accounts the check may bind resources to.
 *
 * @param fromFiles the ClusterS3Accounts and S3Accounts of {@code --accounts}, validated
 * @param filesGiven {@code --accounts} was given (even if it held no account): for messages
 * @param trustInput {@code --trust-input-accounts}: the input's accounts bind too, and win
 */
record TrustedAccounts(List<Manifest> fromFiles, boolean filesGiven, boolean trustInput) {

  TrustedAccounts {
    fromFiles = List.copyOf(fromFiles);
  }
}
