package io.bucketprotection.operator.act;

import io.bucketprotection.operator.decide.Outcome.Write;
import io.bucketprotection.operator.mfa.CodeChange;
import java.net.URI;
import java.util.function.Function;

/**
 * A request that needs an MFA code, as the device line and a person see it: a versioning write,
 * or one batch of a version deletion.
 *
 * @param endpoint where the code is sent (a device's codes belong to one partition); null for AWS
 * @param describe what it does, for the holder's status ("bucket b at ...: MFA Delete Disabled -> Enabled")
 * @param weakens only a person's code that names it signs it
 * @param idFor its change id for a device serial, as a person names it in {@code <code>@<id>}
 */
public record CodedChange(URI endpoint, String describe, boolean weakens, Function<String, String> idFor) {

  /** A versioning write: its id covers the resource, its spec's generation, the bucket and what changes. */
  static CodedChange of(Actor.Requester requester, Write write) {
    return new CodedChange(write.address().endpoint(), write.address().describe() + ": " + write.change(),
        write.weakens(), serial -> CodeChange.changeId(requester.uid() == null ? requester.key() : requester.uid(),
            requester.generation(), write.address().bucket(), write.observed().describe(),
            write.target().describe(), serial));
  }
}
