package io.bucketprotection.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** The MFA device whose codes the operator generates, or a person supplies. */
public class MfaSpec extends UnknownFields {

  @JsonPropertyDescription("ARN of the virtual MFA device (arn:aws:iam::<account id>:mfa/<name>) or serial"
      + " number of a hardware one, without spaces, as sent in the x-amz-mfa header. Everything that names this"
      + " device at the same endpoint must name the same seed source, else DeviceConflict.")
  @Required
  @Pattern("^[\\x21-\\x7E]+$")
  @Size(max = Limits.SERIAL_NUMBER)
  private String serialNumber;

  @JsonPropertyDescription("Where the device's Base32 TOTP seed is kept: exactly one of secretKeyRef or"
      + " secretsManager (ClusterS3Account only). The operator reads it only when a change needs a code. Leave it"
      + " out when nobody may store the seed (a hardware token): a change that needs a code then waits"
      + " (AwaitingMfaCode) until a person annotates the object that names the device with"
      + " bucketprotection.io/mfa-code=<6-digit code>.")
  private TotpSeedSource totpSeed;

  @JsonPropertyDescription("The device's RFC 6238 time step in seconds, 1 to 300. Default 30, as on AWS.")
  @Min(1)
  @Max(300)
  private Integer periodSeconds;

  @JsonPropertyDescription("Future time steps the S3 server accepts and the operator may use, 0 to 2. Default 0:"
      + " only the current step. RadosGW accepts 2; AWS's window is not documented, so leave 0 there. Name the same"
      + " value wherever this device is named.")
  @Min(0)
  @Max(2)
  private Integer lookAheadSteps;

  public MfaSpec() {
  }

  public MfaSpec(String serialNumber, TotpSeedSource totpSeed, Integer periodSeconds) {
    this.serialNumber = serialNumber;
    this.totpSeed = totpSeed;
    this.periodSeconds = periodSeconds;
  }

  public String getSerialNumber() {
    return serialNumber;
  }

  public void setSerialNumber(String serialNumber) {
    this.serialNumber = serialNumber;
  }

  public TotpSeedSource getTotpSeed() {
    return totpSeed;
  }

  public void setTotpSeed(TotpSeedSource totpSeed) {
    this.totpSeed = totpSeed;
  }

  public Integer getPeriodSeconds() {
    return periodSeconds;
  }

  public void setPeriodSeconds(Integer periodSeconds) {
    this.periodSeconds = periodSeconds;
  }

  public Integer getLookAheadSteps() {
    return lookAheadSteps;
  }

  public void setLookAheadSteps(Integer lookAheadSteps) {
    this.lookAheadSteps = lookAheadSteps;
  }
}
