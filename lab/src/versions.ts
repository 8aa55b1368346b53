import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './lab-env';

/** The pinned upstream versions, read from the one place they are written (lab/scripts/versions.sh). */
function readVersions() {
  const text = readFileSync(path.join(REPO_ROOT, 'lab', 'scripts', 'versions.sh'), 'utf8');
  const value = (name: string) => {
    const match = new RegExp(`^${name}=([^\\s#]+)`, 'm').exec(text);
    if (!match) throw new Error(`lab/scripts/versions.sh does not set ${name}`);
    return match[1]!;
  };
  return {
    kubernetes: value('K8S_VERSION'),
    etcd: value('ETCD_VERSION'),
    kwok: value('KWOK_VERSION'),
    keda: value('KEDA_VERSION'),
    prometheusModule: value('PROMETHEUS_MODULE_VERSION'),
    gatewayApi: value('GATEWAY_API_VERSION'),
    prometheusOperator: value('PROMETHEUS_OPERATOR_VERSION'),
  };
}

export const VERSIONS = readVersions();
