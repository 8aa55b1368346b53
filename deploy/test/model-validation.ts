import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { ROOT, type Obj } from './render';

/** Validates objects with kubernetes-models / @kubernetes-models/keda (ES modules: run in a child Node). */
export function validateModels(objects: Obj[]): { name: string; known: boolean; errors: string[] }[] {
  const out = execFileSync(process.execPath, [path.join(__dirname, 'validate-models.mjs')], {
    input: JSON.stringify(objects),
    encoding: 'utf8',
    cwd: ROOT,
  });
  return JSON.parse(out);
}
