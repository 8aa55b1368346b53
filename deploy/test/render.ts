/**
 * What the deploy tests share: rendering a kustomize directory (kubectl's built-in kustomize) into
 * plain objects, and whether a tool is installed. CI installs every tool (.ci/run), so there a
 * missing one is a failure, not a skip.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

export const ROOT = path.resolve(__dirname, '..', '..');
export const K8S = path.join(ROOT, 'deploy', 'k8s');
export const OVERLAYS = ['dev', 'prod'] as const;

export type Obj = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
} & Record<
  string,
  any // eslint-disable-line @typescript-eslint/no-explicit-any
>;

export function has(tool: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function render(dir: string): Obj[] {
  const out = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', maxBuffer: 16 << 20 });
  return parseAllDocuments(out).map((doc) => {
    if (doc.errors.length > 0) throw doc.errors[0];
    return doc.toJS() as Obj;
  });
}

/** The rendered objects of an overlay (`dev`, `prod`). */
export const renderOverlay = (overlay: string) => render(path.join(K8S, 'overlays', overlay));

type Env = { name: string; value?: string }[];
/** A container's plain `env` value (not from a Secret), or undefined. */
export const envValue = (env: Env, name: string) => env.find((e) => e.name === name)?.value;
