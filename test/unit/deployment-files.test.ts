// Images, the Milvus release and the setup Job agree with the repository and
// with the Knative Services that run them. (No Docker engine or cluster here:
// these are the checks that can run without one.)
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { parse, parseAllDocuments } from 'yaml';
import { loadManifests } from '../../scripts/knative-manifests.ts';

const run = promisify(execFile);
const read = (path: string) => readFile(path, 'utf8');
const instructions = (dockerfile: string) => dockerfile.split('\n').filter((line) => /^[A-Z]+\s/.test(line));

describe('Dockerfiles', () => {
  for (const file of ['Dockerfile', 'Dockerfile.embed']) {
    it(`${file}: copies files that exist, runs bundled JavaScript as a numeric non-root user, selects the function by FUNCTION_TARGET`, async () => {
      const lines = instructions(await read(file));
      for (const line of lines.filter((l) => l.startsWith('COPY ') && !l.includes('--from='))) {
        for (const source of line.split(/\s+/).slice(1, -1)) assert.ok(existsSync(source), `${file}: ${source} does not exist`);
      }
      const users = lines.filter((l) => l.startsWith('USER '));
      assert.match(users.at(-1) ?? '', /^USER [1-9]\d*$/);
      assert.equal(lines.at(-1), 'ENTRYPOINT ["node", "dist/serve-function.js"]', 'runs the bundled JavaScript');
      assert.ok(lines.includes('RUN npm run build') && lines.includes('COPY --from=build /app/dist dist'), 'compiles in a build stage');
      assert.ok(!lines.some((l) => /^(ENV|ARG) .*(KEY|TOKEN|SECRET|PASSWORD)/i.test(l)), 'no secrets in images');
      const bases = lines.filter((l) => l.startsWith('FROM ') && !/^FROM (dependencies|\$\{BASE\})(\s|$)/.test(l)).map((l) => l.split(/\s+/)[1]);
      bases.push(...lines.filter((l) => l.startsWith('ARG BASE=')).map((l) => l.slice('ARG BASE='.length)));
      assert.ok(bases.length > 0);
      for (const base of bases) assert.match(base!, /^node:24-bookworm-slim@sha256:[0-9a-f]{64}$/, 'the current Node LTS, pinned by digest');
      assert.ok(lines.some((l) => /^ENV .*\bHOST=0\.0\.0\.0\b/.test(l)), 'listens beyond loopback in a container');
    });
  }

  it('match the Knative Services: the embed image for embed, the CPU image for the rest', async () => {
    const services = (await loadManifests()).filter((m) => m.kind === 'Service');
    for (const service of services) {
      const container = (service.spec as any).template.spec.containers[0];
      const target = container.env.find((e: { name: string }) => e.name === 'FUNCTION_TARGET').value;
      assert.match(container.image, target === 'embed' ? /^ragnative\/embed(-gpu)?:/ : /^ragnative\/functions:/, service.metadata.name);
      assert.equal(container.securityContext.readOnlyRootFilesystem, true, service.metadata.name);
      assert.ok(container.volumeMounts.some((m: { mountPath: string }) => m.mountPath === '/tmp'), `${service.metadata.name} has a writable /tmp`);
    }
  });
});

describe('Milvus release', () => {
  it('pins one chart version, used by the install script and documented', async () => {
    const version = /CHART_VERSION=(\S+)/.exec(await read('scripts/milvus-helm.sh'))?.[1];
    assert.match(version ?? '', /^\d+\.\d+\.\d+$/);
    assert.ok((await read('milvus/values.yaml')).includes(`chart zilliztech/milvus ${version}`));
    assert.ok((await read('milvus/README.md')).includes(version!));
  });

  it('runs a redundant cluster in production and a single pod standalone', async () => {
    const production = parse(await read('milvus/values.yaml'));
    assert.equal(production.cluster.enabled, true);
    assert.equal(production.etcd.replicaCount, 3);
    assert.ok(production.queryNode.replicas >= 2 && production.proxy.replicas >= 2);
    assert.equal(production.mixCoordinator.activeStandby.enabled, true);
    assert.equal(production.etcd.persistence.enabled && production.minio.persistence.enabled, true);
    const standalone = parse(await read('milvus/values-standalone.yaml'));
    assert.equal(standalone.cluster.enabled, false);
    assert.equal(standalone.pulsarv3.enabled, false);
    assert.equal(standalone.standalone.messageQueue, 'rocksmq');
  });

  it('sets collections up with a Job in the embed image, from the shared config', async () => {
    const job = parse(await read('milvus/setup-job.yaml'));
    const container = job.spec.template.spec.containers[0];
    assert.equal(job.kind, 'Job');
    assert.match(container.image, /^ragnative\/embed:/);
    assert.deepEqual(container.command, ['node', '--import', 'tsx', 'scripts/setup-collection.ts']);
    assert.ok((await read('Dockerfile.embed')).includes('COPY scripts/setup-collection.ts'));
    assert.equal(container.envFrom[0].configMapRef.name, 'ragnative-config');
  });

  it('requires a credential, per release, that only the functions using Milvus are given and can use', async () => {
    const production = parse(await read('milvus/values.yaml'));
    assert.equal(parse(production.extraConfigFiles['user.yaml']).common.security.authorizationEnabled, true);
    const rootPassword = { name: 'COMMON_SECURITY_DEFAULTROOTPASSWORD', valueFrom: { secretKeyRef: { name: 'milvus-root', key: 'password' } } };
    assert.deepEqual(production.mixCoordinator.extraEnv, [rootPassword]);
    assert.deepEqual(parse(await read('milvus/values-standalone.yaml')).standalone.extraEnv, [rootPassword]);
    const { stdout } = await run('bash', ['scripts/milvus-helm.sh', 'install'], { env: { ...process.env, DRY_RUN: '1' } });
    const password = /milvus-root --from-literal=password=([0-9a-f]{48})\n/.exec(stdout)?.[1];
    assert.ok(password, stdout);
    assert.ok(stdout.includes(`-n ragnative create secret generic ragnative-milvus --from-literal=MILVUS_TOKEN=root:${password}\n`));
    assert.ok(stdout.indexOf('milvus-root') < stdout.indexOf('helm upgrade --install'), 'the Secret exists before Milvus first starts');
    assert.ok(stdout.trim().endsWith('kubectl apply -f ' + join(process.cwd(), 'milvus/network-policy.yaml')));

    const services = parseAllDocuments(await read('knative/10-services.yaml')).map((d) => d.toJSON());
    const tokenOf = (spec: any) => spec.containers[0].env?.find((e: { name: string }) => e.name === 'MILVUS_TOKEN')?.valueFrom?.secretKeyRef;
    const given = services.filter((s) => tokenOf(s.spec.template.spec)).map((s) => s.metadata.name).sort();
    assert.deepEqual(given, ['index', 'ingest', 'query', 'search']);
    for (const s of services.filter((s) => given.includes(s.metadata.name))) assert.deepEqual(tokenOf(s.spec.template.spec), { name: 'ragnative-milvus', key: 'MILVUS_TOKEN' });
    assert.deepEqual(tokenOf(parse(await read('milvus/setup-job.yaml')).spec.template.spec), { name: 'ragnative-milvus', key: 'MILVUS_TOKEN' });

    const policy = parse(await read('milvus/network-policy.yaml'));
    const clients = policy.spec.ingress.find((rule: any) => rule.ports?.[0].port === 19530).from;
    assert.deepEqual([...clients[0].podSelector.matchExpressions[0].values].sort(), given);
    assert.deepEqual(clients[1].podSelector.matchLabels, { 'job-name': 'ragnative-setup-collection' });
    assert.ok(clients.every((peer: any) => peer.namespaceSelector.matchLabels['kubernetes.io/metadata.name'] === 'ragnative'));
  });
});
