{{/* The chart's name, at most 63 characters. */}}
{{- define "bpo.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The objects' name: the release name when it already holds the chart's name (`helm install
bucket-protection-operator ...` names everything as deploy/ does), else release-chart.
*/}}
{{- define "bpo.fullname" -}}
{{- if contains .Chart.Name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{/* The labels the pods are selected by (also the NetworkPolicy's, the Service's and the PDB's). */}}
{{- define "bpo.selectorLabels" -}}
app.kubernetes.io/name: {{ include "bpo.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Helm's standard labels, on every object. */}}
{{- define "bpo.labels" -}}
{{ include "bpo.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "bpo.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "bpo.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name: the existing ServiceAccount to run as, when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* registry/repository:tag, or @digest when a digest is given (a digest wins over the tag). */}}
{{- define "bpo.image" -}}
{{- $repo := printf "%s/%s" .Values.image.registry .Values.image.repository }}
{{- if .Values.image.digest }}
{{- printf "%s@%s" $repo .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" $repo (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* Namespaced: watch.namespaces names the only namespaces served. */}}
{{- define "bpo.namespaced" -}}
{{- if .Values.watch.namespaces }}true{{ end }}
{{- end }}

{{/*
The rules the operator needs on its kinds, Secrets and Events (RbacTest compares them with the
calls it makes). "cluster" adds ClusterS3Accounts and Namespaces, for the ClusterRole.
*/}}
{{- define "bpo.rules" -}}
- apiGroups: ["bucketprotection.io"]
  resources: ["bucketprotections"]
  verbs: ["get", "list", "watch", "patch", "create", "delete"]
- apiGroups: ["bucketprotection.io"]
  resources: ["bucketprotections/status"]
  verbs: ["patch"]
- apiGroups: ["bucketprotection.io"]
  resources: ["bucketprotectionpolicies"]
  verbs: ["get", "list", "watch", "patch"]
- apiGroups: ["bucketprotection.io"]
  resources: ["bucketprotectionpolicies/status"]
  verbs: ["patch"]
- apiGroups: ["bucketprotection.io"]
  resources: ["objectversiondeletions"]
  verbs: ["get", "list", "watch", "patch"]
- apiGroups: ["bucketprotection.io"]
  resources: ["objectversiondeletions/status"]
  verbs: ["patch"]
{{- if eq .scope "cluster" }}
- apiGroups: ["bucketprotection.io"]
  resources: ["clusters3accounts", "s3accounts"]
  verbs: ["get", "list", "watch", "patch"]
- apiGroups: ["bucketprotection.io"]
  resources: ["clusters3accounts/status", "s3accounts/status"]
  verbs: ["patch"]
- apiGroups: [""]
  resources: ["namespaces"]
  verbs: ["list", "watch"]
{{- else }}
- apiGroups: ["bucketprotection.io"]
  resources: ["s3accounts"]
  verbs: ["get", "list", "watch", "patch"]
- apiGroups: ["bucketprotection.io"]
  resources: ["s3accounts/status"]
  verbs: ["patch"]
{{- end }}
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "list", "watch"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create"]
{{- end }}

{{/*
The label of "may scrape the operator": the namespaces the NetworkPolicy admits to the metrics port
carry it, and so do the ServiceMonitor and the PrometheusRule (Prometheus selects them by it).
*/}}
{{- define "bpo.metricsScraperLabels" -}}
{{- toYaml (default (dict "bucketprotection.io/metrics-scraper" "true") .Values.networkPolicy.metricsScraperLabels) }}
{{- end }}
