// The kn scripts: usage on missing arguments, the exact commands in DRY_RUN,
// and the same commands reaching a recording kn/kubectl on PATH.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';

const run = promisify(execFile);
let shims: string;
const script = (name: string, args: string[], env: Record<string, string> = {}) =>
  run('bash', [`scripts/kn/${name}.sh`, ...args], { env: { ...process.env, ...env } });
const dryRun = async (name: string, ...args: string[]) => (await script(name, args, { DRY_RUN: '1' })).stdout.trim().split('\n');

before(async () => {
  shims = await mkdtemp(join(tmpdir(), 'kn-shim-'));
  for (const tool of ['kn', 'kubectl']) {
    // Records its arguments; `kn service describe` answers the latest ready revision.
    const body = `#!/usr/bin/env bash\necho "${tool} $*" >> "${shims}/calls.log"\n[[ "$*" == *"service describe"* ]] && echo -n embed-abcde-1\nexit 0\n`;
    await writeFile(join(shims, tool), body);
    await chmod(join(shims, tool), 0o755);
  }
});
after(() => rm(shims, { recursive: true, force: true }));

describe('kn scripts', () => {
  it('print usage and exit 2 when arguments are missing', async () => {
    for (const name of ['new-revision', 'tag', 'canary', 'promote', 'rollback', 'gpu-revision', 'revisions']) {
      await assert.rejects(script(name, []), (error: { code: number; stderr: string }) => error.code === 2 && /^Usage: scripts\/kn\//.test(error.stderr), name);
    }
    await assert.rejects(script('canary', ['embed', 'a', 'b', '150']), { code: 2 });
    await assert.rejects(script('new-revision', ['embed', 'v2']), { code: 2 }, 'nothing to change');
  });

  it('print the exact commands in DRY_RUN', async () => {
    assert.deepEqual(await dryRun('new-revision', 'embed', 'v2', '--image', 'registry.example.com/ragnative/embed:0.2.0', '--env', 'EMBED_BATCH_SIZE=64'), [
      'kn service describe embed -n ragnative -o jsonpath={.status.latestReadyRevisionName}',
      'kn service update embed -n ragnative --traffic <latest-ready-revision>=100',
      'kn service update embed -n ragnative --revision-name embed-v2 --image registry.example.com/ragnative/embed:0.2.0 --env EMBED_BATCH_SIZE=64',
    ]);
    assert.deepEqual(await dryRun('tag', 'embed', 'embed-v2', 'candidate'), ['kn service update embed -n ragnative --tag embed-v2=candidate']);
    assert.deepEqual(await dryRun('canary', 'embed', 'embed-v1', 'embed-v2', '10'), ['kn service update embed -n ragnative --traffic embed-v1=90 --traffic embed-v2=10']);
    assert.deepEqual(await dryRun('promote', 'embed', 'embed-v2'), ['kn service update embed -n ragnative --traffic embed-v2=100']);
    assert.deepEqual(await dryRun('rollback', 'embed', 'embed-v1'), ['kn service update embed -n ragnative --traffic embed-v1=100 --untag candidate']);
    assert.deepEqual(await dryRun('gpu-revision', 'v3', 'registry.example.com/ragnative/embed-gpu:0.3.0'), [
      'kn service update embed-gpu -n ragnative --revision-name embed-gpu-v3 --image registry.example.com/ragnative/embed-gpu:0.3.0 --limit nvidia.com/gpu=1 --env EMBED_DEVICE=cuda --env EMBED_BATCH_SIZE=128 --scale-min 0 --scale-init 1 --annotation-revision autoscaling.knative.dev/scale-down-delay=10m --annotation-revision serving.knative.dev/progress-deadline=900s',
    ]);
    assert.deepEqual(await dryRun('revisions', 'embed'), ['kn revision list -n ragnative -s embed', 'kn service describe embed -n ragnative']);
    const deploy = await dryRun('deploy');
    assert.equal(deploy.at(-1), 'kubectl wait -n ragnative ksvc --all --for=condition=Ready --timeout=600s');
    assert.deepEqual(deploy.filter((l) => l.includes(' -f /')).map((l) => l.replace(/.*\/knative\//, '')), ['00-config.yaml', '10-services.yaml', '20-broker.yaml', '30-triggers.yaml', '40-sinkbinding.yaml', '50-network-policies.yaml']);
  });

  it('run the same commands against kn and kubectl, in order: a 10 % canary and back', async () => {
    const env = { PATH: `${shims}:${process.env.PATH}`, NAMESPACE: 'staging' };
    await script('new-revision', ['embed', 'v2', '--image', 'registry.example.com/ragnative/embed:0.2.0'], env);
    await script('tag', ['embed', 'embed-v2', 'candidate'], env);
    await script('canary', ['embed', 'embed-abcde-1', 'embed-v2', '10'], env);
    await script('rollback', ['embed', 'embed-abcde-1'], env);
    assert.deepEqual((await readFile(join(shims, 'calls.log'), 'utf8')).trim().split('\n'), [
      'kn service describe embed -n staging -o jsonpath={.status.latestReadyRevisionName}',
      'kn service update embed -n staging --traffic embed-abcde-1=100',
      'kn service update embed -n staging --revision-name embed-v2 --image registry.example.com/ragnative/embed:0.2.0',
      'kn service update embed -n staging --tag embed-v2=candidate',
      'kn service update embed -n staging --traffic embed-abcde-1=90 --traffic embed-v2=10',
      'kn service update embed -n staging --traffic embed-abcde-1=100 --untag candidate',
    ]);
  });
});
