import os from 'node:os';
import path from 'node:path';

// Where the lab keeps its binaries, certificates, logs and data, and the loopback ports of its
// components. The lab is a tool, not a deployable: this is the one module that reads its environment.

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
const CACHE = process.env.FLIGHTDECK_CACHE ?? path.join(os.homedir(), '.cache', 'flightdeck');
export const LAB_HOME = path.join(CACHE, 'lab');
/** Built by lab/scripts/build-binaries.sh. */
export const BIN = path.join(LAB_HOME, 'bin');
/** Certificates and the admin kubeconfig, kept between runs. */
export const PKI = path.join(LAB_HOME, 'pki');
/** One run's logs, data and generated configuration; made anew by each `up`. */
export const RUN = process.env.LAB_RUN_DIR ?? path.join(LAB_HOME, 'run');
export const KUBECONFIG = path.join(PKI, 'admin.kubeconfig');

/** Every component binds 127.0.0.1 on one of these. */
export const PORTS = {
  etcd: 23790,
  etcdPeer: 23800,
  apiserver: 16443,
  kedaAdapter: 16444,
  kedaGrpc: 19666,
  kedaMetrics: 18080,
  kedaProbe: 18081,
  controllerManager: 20257,
  scheduler: 20259,
  kwok: 20250,
  prometheus: 19090,
  redis: 16390,
  mongodb: 27190,
  /** nginx: the Gateway's stand-in, in front of the API and gateway processes. */
  loadBalancer: 18888,
} as const;

/** The one node the scheduler places Flightdeck's pods on; kwok keeps it Ready, the pod agent runs its pods. */
export const LAB_NODE = 'lab-node';
export const NAMESPACE = 'flightdeck';
