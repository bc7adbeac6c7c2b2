// The deploy guide (docs/deploy.md), run as written, against recording stand-ins for
// docker, helm, kubectl and kn: every command it shows must run, and reach the
// tools with the arguments an operator would expect.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';

const run = promisify(execFile);
let shims: string;

before(async () => {
  shims = await mkdtemp(join(tmpdir(), 'deploy-shim-'));
  for (const tool of ['docker', 'helm', 'kubectl', 'kn']) {
    const body = `#!/usr/bin/env bash\necho "${tool} $*" >> "${shims}/calls.log"\n[[ "$*" == *"service describe"* ]] && echo -n embed-00001\nexit 0\n`;
    await writeFile(join(shims, tool), body);
    await chmod(join(shims, tool), 0o755);
  }
});
after(() => rm(shims, { recursive: true, force: true }));

describe('deploy guide', () => {
  it('runs end to end, from the Milvus release to a 10 % canary and back', async () => {
    const guide = await readFile('docs/deploy.md', 'utf8');
    const script = /```bash\n([\s\S]*?)```/.exec(guide)?.[1];
    assert.ok(script, 'the guide has a bash block');
    await run('bash', ['-euo', 'pipefail', '-c', script], { env: { ...process.env, PATH: `${shims}:${process.env.PATH}`, OPENAI_API_KEY: 'sk-test', RAG_API_KEYS: `${'a'.repeat(64)}=tenant-a` } });
    const calls = (await readFile(join(shims, 'calls.log'), 'utf8')).trim().split('\n');
    const expected = [
      /^helm upgrade --install milvus zilliztech\/milvus --version 4\.2\.45 -n milvus --create-namespace -f \S+\/milvus\/values\.yaml --wait/,
      /^docker build -f Dockerfile\.embed --build-arg ONNXRUNTIME_NODE_INSTALL=cuda12 /,
      /^kubectl -n ragnative create secret generic ragnative-secrets --from-literal=OPENAI_API_KEY=sk-test --from-literal=RAG_API_KEYS=a{64}=tenant-a --from-literal=RAG_REPLY_SECRET=[0-9a-f]{64}$/,
      /^kubectl apply -n ragnative -f \S+\/knative\/30-triggers\.yaml$/,
      /^kubectl -n ragnative apply -f milvus\/setup-job\.yaml$/,
      /^kn service update embed -n ragnative --traffic embed-00001=100$/,
      /^kn service update embed -n ragnative --revision-name embed-v2 --env EMBED_BATCH_SIZE=64$/,
      /^kn service update embed -n ragnative --tag embed-v2=candidate$/,
      /^kn service update embed -n ragnative --traffic embed-00001=90 --traffic embed-v2=10$/,
      /^kn service update embed -n ragnative --traffic embed-00001=100 --untag candidate$/,
      /^kn service update embed-gpu -n ragnative --revision-name embed-gpu-v2 --image ragnative\/embed-gpu:0\.1\.0 --limit nvidia\.com\/gpu=1 /,
    ];
    let at = 0;
    for (const pattern of expected) {
      const found = calls.findIndex((call, i) => i >= at && pattern.test(call));
      assert.ok(found >= 0, `no call matching ${pattern} after call ${at}:\n${calls.join('\n')}`);
      at = found + 1;
    }
  });
});
