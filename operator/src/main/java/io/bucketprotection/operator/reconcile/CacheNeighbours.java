package io.bucketprotection.operator.reconcile;

import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.api.ClusterS3Account;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.mfa.MfaDevice;
import io.bucketprotection.operator.spec.Account;
import io.bucketprotection.operator.spec.AccountId;
import io.bucketprotection.operator.spec.AccountSettings;
import io.bucketprotection.operator.spec.AccountValidator;
import io.bucketprotection.operator.spec.CodeHolder;
import io.bucketprotection.operator.spec.DesiredState;
import io.bucketprotection.operator.tenancy.DeviceClaims;
import io.bucketprotection.operator.decide.Facts;
import io.bucketprotection.operator.spec.InvalidSpecException;
import io.bucketprotection.operator.spec.ProtectionSpec;
import io.bucketprotection.operator.spec.SpecValidator;
import io.bucketprotection.operator.tenancy.Tenancy;
import io.bucketprotection.operator.observe.DeviceOwnership;
import io.bucketprotection.operator.s3.S3Endpoints;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The other resources and accounts one reconcile must know of, from the operator's caches: who
 * writes a bucket several resources name ({@link BucketOwnership}), and which seed may use an MFA
 * device several sources name ({@link DeviceClaims}).
 */
final class CacheNeighbours implements BucketReconciliation.Neighbours {

  /** Primary-cache index: the serial of a resource's inline MFA device. */
  static final String INLINE_DEVICE_INDEX = "bucketprotection.io/inline-mfa-serial";

  private final OperatorConfig config;
  private final BucketOwnership ownership;
  private final TenancyCaches tenancy;
  private final IndexedResourceCache<BucketProtection> cache;
  private final DeviceOwnership devices;

  CacheNeighbours(OperatorConfig config, BucketOwnership ownership, TenancyCaches tenancy,
      IndexedResourceCache<BucketProtection> cache, DeviceOwnership devices) {
    this.config = config;
    this.ownership = ownership;
    this.tenancy = tenancy;
    this.cache = cache;
    this.devices = devices;
  }

  static List<String> inlineSerials(BucketProtection resource) {
    var spec = resource.getSpec();
    return spec == null || spec.getAccountRef() != null || spec.getMfa() == null
        || spec.getMfa().getSerialNumber() == null ? List.of() : List.of(spec.getMfa().getSerialNumber());
  }

  @Override
  public Facts.Writer writer(BucketProtection resource, DesiredState desired) {
    return ownership.afterRead(resource, desired, cache.byIndex(BucketOwnership.INDEX, desired.bucket()),
        candidate -> BucketProtectionReconciler.bind(candidate, config, tenancy));
  }

  @Override
  public String annotatedCode(BucketProtection resource, CodeHolder holder) {
    HasMetadata object = "BucketProtection".equals(holder.kind()) ? resource
        : tenancy.object("S3Account".equals(holder.kind()) ? AccountId.namespaced(holder.namespace(), holder.name())
            : AccountId.cluster(holder.name())).<HasMetadata>map(o -> o).orElse(null);
    if (object == null || object.getMetadata().getAnnotations() == null) {
      return null;
    }
    return object.getMetadata().getAnnotations().get(CodeHolder.ANNOTATION);
  }

  @Override
  public void cannotRead(BucketProtection resource) {
    ownership.cannotRead(resource);
  }

  @Override
  public Optional<String> deviceHolder(BucketProtection resource, DesiredState desired, MfaDevice device) {
    HasMetadata holderObject = desired.account() == null ? resource
        : tenancy.object(desired.account()).<HasMetadata>map(o -> o).orElse(resource);
    DeviceClaims.Claim mine = new DeviceClaims.Claim(device, desired.mfa().codeSource(), desired.mfa().holder(),
        holderObject.getMetadata().getNamespace(), holderObject instanceof ClusterS3Account,
        holderObject.getMetadata().getCreationTimestamp(), holderObject.getMetadata().getUid());
    List<DeviceClaims.Claim> claims = new ArrayList<>();
    claims.add(mine);
    tenancy.clusterAccounts().forEach(account -> {
      try {
        claims.addAll(claims(AccountValidator.validate(account, config), account));
      } catch (InvalidSpecException e) {
        // An invalid account uses no device.
      }
    });
    // A tenant's account claims a device only once its check passed: for one that names a device,
    // that includes the proof that its root keys own it (DeviceNotOwned otherwise).
    tenancy.s3Accounts().filter(Tenancy::ready).forEach(account -> {
      try {
        claims.addAll(claims(AccountValidator.validate(account, config), account));
      } catch (InvalidSpecException e) {
        // An invalid account uses no device.
      }
    });
    for (BucketProtection other : cache.byIndex(INLINE_DEVICE_INDEX, device.serialNumber())) {
      try {
        ProtectionSpec spec = SpecValidator.validate(other, config);
        // A claim whose proof said NotOwned claims nothing: it must not keep a device from its owner.
        if (spec.inline() != null && spec.inline().mfa() != null && !devices.knownNotOwned(other.getMetadata().getUid(),
            java.util.Objects.requireNonNullElse(other.getMetadata().getGeneration(), 0L),
            spec.inline().mfa().serialNumber())) {
          claims.add(claim(spec.inline(), spec.inline().mfa(), other));
        }
      } catch (InvalidSpecException e) {
        // An invalid resource uses no device.
      }
    }
    return DeviceClaims.conflict(mine, claims);
  }

  /** An account claims every device of its pool. */
  private List<DeviceClaims.Claim> claims(Account account, HasMetadata object) {
    return account.settings().mfaDevices().stream().map(mfa -> claim(account.settings(), mfa, object)).toList();
  }

  private DeviceClaims.Claim claim(AccountSettings settings, AccountSettings.MfaSettings mfa, HasMetadata object) {
    URI endpoint = settings.endpoint();
    MfaDevice device = new MfaDevice(S3Endpoints.identity(endpoint, config.defaultRegion()), mfa.serialNumber());
    return new DeviceClaims.Claim(device, mfa.codeSource(), mfa.holder(), object.getMetadata().getNamespace(),
        object instanceof ClusterS3Account, object.getMetadata().getCreationTimestamp(), object.getMetadata().getUid());
  }
}
