{{/* Name of the chart, overridable. */}}
{{- define "traefik-ha-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name of the release's objects: the release name, prefixed to the chart name unless it already contains it. */}}
{{- define "traefik-ha-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "traefik-ha-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "traefik-ha-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "traefik-ha-operator.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "traefik-ha-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "traefik-ha-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "traefik-ha-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* "true" when leader election is on: asked for, or needed because more than one replica runs; else empty. */}}
{{- define "traefik-ha-operator.leaderElection" -}}
{{- if or .Values.leaderElection.enabled (gt (int .Values.replicas) 1) -}}
true
{{- end -}}
{{- end }}

{{/*
The operator's only rule on Secrets: read the referenced ones by name, create and patch the ones it owns; never list,
watch, update or delete (see deploy/operator.yaml). In the ClusterRole, or in a Role per watched namespace.
*/}}
{{- define "traefik-ha-operator.secretsRule" -}}
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "create", "patch"]
{{- end }}
