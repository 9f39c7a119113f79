import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What the image must be, checked on the Dockerfile itself (no Docker engine
 * runs here; .ci/run validates the compose files with docker-compose).
 */
describe('docker/Dockerfile', () => {
  const dockerfile = readFileSync(join(__dirname, '../../docker/Dockerfile'), 'utf8');
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const runtime = stages[stages.length - 1];

  it('builds in one stage and runs from another, on Node 20', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage).toMatch(/^node:20-/);
    expect(stages[0]).toMatch(/npm ci/);
    expect(stages[0]).toMatch(/npm prune --omit=dev/);
  });

  it('runs as a non-root user, with a health check on liveness, and the data in a volume', () => {
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^HEALTHCHECK .*\n.*\/health\/live/m);
    expect(runtime).toMatch(/^VOLUME \["\/data"\]$/m);
    expect(runtime).not.toMatch(/npm (ci|install)/);
    expect(runtime).toMatch(/COPY --from=build/);
  });
});

describe('docker compose files', () => {
  const read = (name: string) => readFileSync(join(__dirname, '../../docker', name), 'utf8');

  it('run the service on a single EventStoreDB node, by the connection string alone', () => {
    expect(read('single-node.compose.yaml')).toMatch(/EVENTSTORE_CONNECTION_STRING: "esdb:\/\/eventstoredb:2113\?tls=false"/);
  });

  it('run two instances behind one port on a three-node cluster', () => {
    const cluster = read('cluster.compose.yaml');
    expect(cluster.match(/^ {2}esdb\d:$/gm)).toHaveLength(3);
    expect(cluster.match(/^ {2}service\d:$/gm)).toHaveLength(2);
    expect(cluster).toMatch(
      /EVENTSTORE_CONNECTION_STRING: "esdb:\/\/172\.30\.240\.11:2113,172\.30\.240\.12:2113,172\.30\.240\.13:2113\?tls=false"/,
    );
    expect(read('nginx.conf')).toMatch(/server service1:3000[^\n]*\n\s+server service2:3000/);
  });
});
