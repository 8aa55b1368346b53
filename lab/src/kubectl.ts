import { execFile } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { BIN, KUBECONFIG } from './lab-env';

const run = promisify(execFile);

/** The lab's own kubectl (built at the cluster's version) against the lab's API server. */
export async function kubectl(args: string[], input?: string): Promise<string> {
  const child = run(path.join(BIN, 'kubectl'), ['--kubeconfig', KUBECONFIG, ...args], { maxBuffer: 64 * 1024 * 1024 });
  if (input !== undefined) {
    child.child.stdin!.end(input);
  }
  const { stdout } = await child;
  return stdout;
}

/** `kubectl get … -o json`, parsed. */
export async function getJson<T = unknown>(...args: string[]): Promise<T> {
  return JSON.parse(await kubectl(['get', ...args, '-o', 'json'])) as T;
}

/** Server-side apply of manifests (a file, a folder, or YAML text on stdin), owned by the lab. */
export async function serverSideApply(source: { file: string } | { kustomization: string } | { yaml: string }) {
  const base = ['apply', '--server-side', '--force-conflicts', '--field-manager=flightdeck-lab'];
  if ('file' in source) return kubectl([...base, '-f', source.file]);
  if ('kustomization' in source) return kubectl([...base, '-k', source.kustomization]);
  return kubectl([...base, '-f', '-'], source.yaml);
}

/** Where the Go module proxy's copy of `module@version` lies (its CRDs and stage files are read from there). */
export function goModuleDir(module: string, version: string): string {
  const json = execFileSync('go', ['mod', 'download', '-json', `${module}@v${version}`], {
    cwd: '/',
    encoding: 'utf8',
    env: { ...process.env, GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local' },
  });
  return (JSON.parse(json) as { Dir: string }).Dir;
}
