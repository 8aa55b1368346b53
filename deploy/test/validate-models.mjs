// Validates Kubernetes objects with kubernetes-models, @kubernetes-models/keda and
// @kubernetes-models/prometheus-operator. Those packages
// are ES modules only, so the Jest suite runs this as a child process: a JSON array of objects on
// stdin; prints a JSON array of { name, known, errors } on stdout.
import { readFileSync } from 'node:fs';
import { ConfigMap, Namespace, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { Role, RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { ScaledObject, TriggerAuthentication } from '@kubernetes-models/keda/keda.sh/v1alpha1';
import { PodMonitor, PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';

const MODELS = {
  'v1/Namespace': Namespace,
  'v1/ServiceAccount': ServiceAccount,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'rbac.authorization.k8s.io/v1/Role': Role,
  'rbac.authorization.k8s.io/v1/RoleBinding': RoleBinding,
  'keda.sh/v1alpha1/ScaledObject': ScaledObject,
  'keda.sh/v1alpha1/TriggerAuthentication': TriggerAuthentication,
  'monitoring.coreos.com/v1/PodMonitor': PodMonitor,
  'monitoring.coreos.com/v1/PrometheusRule': PrometheusRule,
};

/**
 * Values newer than a model package: the object is validated without them, and its strict shape
 * (strict-shapes.ts, from the upstream CRD) checks them instead. @kubernetes-models/keda's
 * fallback.behavior enum predates `scalingModifiers` (KEDA 2.20).
 */
function withoutNewerValues(key, object) {
  if (key !== 'keda.sh/v1alpha1/ScaledObject' || object.spec?.fallback?.behavior !== 'scalingModifiers') return object;
  const { behavior: _newer, ...fallback } = object.spec.fallback;
  return { ...object, spec: { ...object.spec, fallback } };
}

const objects = JSON.parse(readFileSync(0, 'utf8'));
const results = objects.map((object) => {
  const key = `${object.apiVersion}/${object.kind}`;
  const name = `${key} ${object.metadata?.name}`;
  const Model = MODELS[key];
  if (!Model) return { name, known: false, errors: [] };
  try {
    new Model(withoutNewerValues(key, object)).validate();
    return { name, known: true, errors: [] };
  } catch (error) {
    return { name, known: true, errors: [String(error?.message ?? error)] };
  }
});
process.stdout.write(JSON.stringify(results));
