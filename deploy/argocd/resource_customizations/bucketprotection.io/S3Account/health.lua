-- Health of a bucketprotection.io/v1alpha1 S3Account (namespaced, bucket-protection-operator).
-- The operator writes status.observedGeneration and a Ready condition: True when the account's
-- secrets are resolvable and well-formed, False with a reason that says what to fix otherwise.
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

if ready.status == "False" then
  hs.status = "Degraded"
  hs.message = describe(ready)
  return hs
end

hs.status = "Progressing"
hs.message = describe(ready)
return hs
