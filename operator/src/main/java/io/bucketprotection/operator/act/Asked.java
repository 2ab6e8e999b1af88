package io.bucketprotection.operator.act;

import io.bucketprotection.operator.decide.DeviceState;
import io.bucketprotection.operator.mfa.MfaDevice;
import io.bucketprotection.operator.mfa.PoolDevice;
import io.bucketprotection.operator.mfa.TotpSeed;
import io.bucketprotection.operator.s3.Signer;
import io.bucketprotection.operator.spec.AccountSettings;
import io.bucketprotection.operator.spec.DesiredState;

/**
 * A device's answer to one change, with what is needed to make its code. The seed stays
 * inside: {@link #toString()} shows neither it nor any code.
 */
public final class Asked {
  private final DeviceState state;
  final MfaDevice device;
  final TotpSeed seed;
  final PoolDevice.Seed seedId;
  /** A person's code, when the device has no stored seed. */
  final String personCode;
  /** The annotation it came in ({@code <code>} or {@code <code>@<change id>}): removed once the code is sent. */
  final String personAnnotation;
  /** The root keys, read just in time for the coded write; dropped with this object. */
  final Signer root;
  /** The device of the pool this answer is about (the one a granted code comes from). */
  private AccountSettings.MfaSettings settings;

  Asked(DeviceState state, MfaDevice device, TotpSeed seed, PoolDevice.Seed seedId, Signer root) {
    this(state, device, seed, seedId, null, null, root);
  }

  Asked(DeviceState state, MfaDevice device, TotpSeed seed, PoolDevice.Seed seedId, String personCode,
      String personAnnotation, Signer root) {
    this.state = state;
    this.device = device;
    this.seed = seed;
    this.seedId = seedId;
    this.personCode = personCode;
    this.personAnnotation = personAnnotation;
    this.root = root;
  }

  /** An answer that stops the change before any code is made. */
  static Asked stopped(DeviceState state, MfaDevice device) {
    return new Asked(state, device, null, null, null);
  }

  /** This answer is about {@code device}, one of the pool's. */
  Asked on(AccountSettings.MfaSettings device) {
    this.settings = device;
    return this;
  }

  /** {@code desired}, narrowed to the device this answer is about: its code, its messages, its audit line. */
  public DesiredState desired(DesiredState desired) {
    return settings == null ? desired : desired.withDevice(settings);
  }

  public DeviceState state() {
    return state;
  }

  /** The device this answer is about. */
  public MfaDevice device() {
    return device;
  }

  /** The root keys read for a granted code (null otherwise): they sign the one request that carries it. */
  public Signer root() {
    return root;
  }

  @Override
  public String toString() {
    return "Asked[" + state + "]";
  }
}
