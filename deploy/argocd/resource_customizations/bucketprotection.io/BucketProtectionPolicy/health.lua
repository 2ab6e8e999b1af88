-- Health of a bucketprotection.io/v1alpha1 BucketProtectionPolicy (bucket-protection-operator).
-- The status follows kstatus: status.observedGeneration, a Ready condition (True: the last scan
-- succeeded and every child BucketProtection is Ready), and the abnormal-true conditions
-- Reconciling (children are still converging by themselves) and Stalled (a person must act:
-- an invalid spec, an account that does not admit the namespace, children waiting for a person).
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

local ready = nil
if type(obj.status) == "table" and type(obj.status.conditions) == "table" then
  for _, condition in ipairs(obj.status.conditions) do
    if type(condition) == "table" and condition.type == "Ready" then
      ready = condition
      break
    end
  end
end

if ready == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to report status"
  return hs
end

-- A Ready condition written for an older generation says nothing about the current spec.
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

if ready.status == "True" then
  hs.status = "Healthy"
  hs.message = text(ready.message)
  return hs
end

local function isTrue(kind)
  for _, condition in ipairs(obj.status.conditions) do
    if type(condition) == "table" and condition.type == kind and condition.status == "True" then
      return true
    end
  end
  return false
end

if ready.status == "False" and isTrue("Reconciling") then
  hs.status = "Progressing"
  hs.message = describe(ready)
  return hs
end

if ready.status == "False" then
  hs.status = "Degraded"
  hs.message = describe(ready)
  return hs
end

hs.status = "Progressing"
hs.message = describe(ready)
return hs
