-- Health of every bucketprotection.io/v1alpha1 kind (bucket-protection-operator): BucketProtection,
-- BucketProtectionPolicy, ClusterS3Account, S3Account and ObjectVersionDeletion. One script for all
-- of them: each copy under resource_customizations/ is this file byte for byte
-- (deploy/argocd/generate.sh writes them).
-- The status follows kstatus (https://github.com/kubernetes-sigs/cli-utils/blob/master/pkg/kstatus/README.md):
-- status.observedGeneration, a Ready condition, and the abnormal-true conditions Reconciling
-- (the operator moves the object toward its spec by itself: an outage, children converging) and
-- Stalled (nothing will happen without a person). Ready=False with reason DriftDetected where
-- spec.mode is Observe is what the resource was asked to do (report the difference, never write),
-- so it is Suspended, not Degraded; only BucketProtection has spec.mode. An ObjectVersionDeletion
-- is a run, as a Job is: Healthy once Complete, Degraded once Failed (both for good), Suspended
-- while it waits for the approval a person gives on its account (nothing is wrong, nothing is
-- deleted), Progressing while its batches are sent; otherwise as every kind.
-- Only base-library functions are used: argocd-cm scripts run without Lua's string library.
local hs = {}

local function text(value)
  if value == nil then
    return ""
  end
  return tostring(value)
end

-- "Reason: message", or whichever of the two is set.
local function describe(condition)
  local reason = text(condition.reason)
  local message = text(condition.message)
  if reason == "" then
    return message
  end
  if message == "" then
    return reason
  end
  return reason .. ": " .. message
end

local function findCondition(conditions, conditionType)
  for _, condition in ipairs(conditions) do
    if type(condition) == "table" and condition.type == conditionType then
      return condition
    end
  end
  return nil
end

local function isTrue(condition)
  return condition ~= nil and condition.status == "True"
end

local ready = nil
local reconciling = nil
local stalled = nil
if type(obj.status) == "table" and type(obj.status.conditions) == "table" then
  ready = findCondition(obj.status.conditions, "Ready")
  reconciling = findCondition(obj.status.conditions, "Reconciling")
  stalled = findCondition(obj.status.conditions, "Stalled")
end

if ready == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to report status"
  return hs
end

-- Conditions written for an older generation say nothing about the current spec.
local generation = nil
if type(obj.metadata) == "table" then
  generation = obj.metadata.generation
end
local observed = obj.status.observedGeneration
if type(generation) == "number" and type(observed) == "number" and observed < generation then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe generation " .. generation
  return hs
end

if obj.kind == "ObjectVersionDeletion" then
  local failed = findCondition(obj.status.conditions, "Failed")
  if isTrue(failed) then
    hs.status = "Degraded"
    hs.message = describe(failed)
    return hs
  end
  local complete = findCondition(obj.status.conditions, "Complete")
  if isTrue(complete) then
    hs.status = "Healthy"
    hs.message = text(complete.message)
    return hs
  end
  if ready.reason == "AwaitingApproval" then
    hs.status = "Suspended"
    hs.message = describe(ready)
    return hs
  end
  if ready.reason == "Deleting" then
    hs.status = "Progressing"
    hs.message = describe(ready)
    return hs
  end
end

if isTrue(stalled) then
  hs.status = "Degraded"
  hs.message = describe(stalled)
  return hs
end

if ready.status == "True" then
  hs.status = "Healthy"
  hs.message = text(ready.message)
  return hs
end

local mode = nil
if type(obj.spec) == "table" then
  mode = obj.spec.mode
end
if ready.status == "False" and ready.reason == "DriftDetected" and mode == "Observe" then
  hs.status = "Suspended"
  hs.message = "Observe mode: " .. text(ready.message)
  return hs
end

if isTrue(reconciling) then
  hs.status = "Progressing"
  hs.message = describe(reconciling)
  return hs
end

-- A False Ready with a reason this script does not know must not look healthy.
if ready.status == "False" then
  hs.status = "Degraded"
  hs.message = describe(ready)
  return hs
end

hs.status = "Progressing"
hs.message = describe(ready)
return hs
