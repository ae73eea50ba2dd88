import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ConfigMap, Service } from 'kubernetes-models/v1';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { loadConfig } from '../../src/config/config';

const root = join(__dirname, '..', '..');
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
};

type K8sObject = { apiVersion: string; kind: string; metadata: { name: string }; [key: string]: unknown };

function render(dir: string): Promise<K8sObject[]> {
  return new Promise((resolve, reject) => {
    execFile('kubectl', ['kustomize', join(root, 'deploy/kubernetes', dir)], (error, stdout, stderr) => {
      if (error) return reject(new Error(`kubectl kustomize ${dir}: ${stderr || error.message}`));
      resolve(parseAllDocuments(stdout).map((doc) => doc.toJS() as K8sObject));
    });
  });
}

// Rendered manifests are walked by path in assertions; their full types would add nothing here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Walkable = Record<string, any>;
const byKind = (objects: K8sObject[], kind: string, name: string) =>
  objects.find((object) => object.kind === kind && object.metadata.name === name) as never as Walkable;

describe.each(['base', 'overlays/redis-statefulset', 'overlays/external-redis'])('kustomize %s', (dir) => {
  let objects: K8sObject[];
  beforeAll(async () => {
    objects = await render(dir);
  });

  it('renders only objects that validate against the Kubernetes schemas', () => {
    expect(objects.length).toBeGreaterThan(0);
    for (const object of objects) {
      const Model = MODELS[`${object.apiVersion}/${object.kind}`];
      if (!Model) throw new Error(`no schema for ${object.apiVersion} ${object.kind}`);
      expect(() => new Model(object as never).validate()).not.toThrow();
    }
  });

  it('probes the health endpoints the bot serves, on ports it listens on, with a config it accepts', () => {
    const config = byKind(objects, 'ConfigMap', 'mltrl-bot-config');
    const parsed = loadConfig(config.data);
    const web = byKind(objects, 'Deployment', 'mltrl-bot-web').spec.template.spec.containers[0];
    expect(web.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(web.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(web.ports).toContainEqual({ name: 'http', containerPort: parsed.PORT });
    const worker = byKind(objects, 'Deployment', 'mltrl-bot-worker').spec.template.spec.containers[0];
    expect(worker.args).toEqual(['worker']);
    expect(worker.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'health' });
    expect(worker.ports).toContainEqual({ name: 'health', containerPort: parsed.HEALTH_PORT });
    expect(byKind(objects, 'HorizontalPodAutoscaler', 'mltrl-bot-web').spec.scaleTargetRef.name).toBe(
      'mltrl-bot-web',
    );
    expect(byKind(objects, 'PodDisruptionBudget', 'mltrl-bot-web')).toBeDefined();
    expect(parsed.CARDS_GIT_URL).toMatch(/^https:/);
    if (dir !== 'base') expect(parsed.REDIS_URL).toMatch(/^rediss?:\/\//);
  });
});

test('the in-cluster Redis keeps an append-only file on a volume and never evicts', async () => {
  const objects = await render('overlays/redis-statefulset');
  const redis = byKind(objects, 'StatefulSet', 'mltrl-bot-redis');
  const args: string[] = redis.spec.template.spec.containers[0].args;
  expect(args.join(' ')).toMatch(/--appendonly yes .*--maxmemory-policy noeviction/);
  expect(redis.spec.volumeClaimTemplates[0].metadata.name).toBe('data');
  expect(loadConfig(byKind(objects, 'ConfigMap', 'mltrl-bot-config').data).REDIS_URL).toBe(
    'redis://mltrl-bot-redis:6379',
  );
});

test('the schema check does catch a broken object', () => {
  const broken = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'x' },
    spec: { replicas: 'two' },
  };
  expect(() => new Deployment(broken as never).validate()).toThrow();
});
